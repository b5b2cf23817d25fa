import { describe, expect, it } from "vitest";
import { AdminError } from "../../../lib/admin/admin-error.ts";
import { parseRouteInput } from "../../../lib/admin/request-input.ts";
import type { RouteName } from "../../../lib/admin/routes.ts";

const noQuery = new URLSearchParams();

function failure(route: RouteName, body: unknown, query = noQuery): AdminError {
  try {
    parseRouteInput(route, query, body);
  } catch (error) {
    if (error instanceof AdminError) return error;
    throw error;
  }
  throw new Error("expected the input to be rejected");
}

describe("parseRouteInput", () => {
  it("normalises a pairing code and reads the account from the body or the query", () => {
    expect(parseRouteInput("pairing.approve", noQuery, { code: " abcd2345 " })).toEqual({
      route: "pairing.approve",
      input: { code: "ABCD2345" },
    });
    expect(parseRouteInput("pairing.deny", new URLSearchParams("account=support"), { code: "ABCD2345" })).toEqual({
      route: "pairing.deny",
      input: { code: "ABCD2345", account: "support" },
    });
  });

  it("normalises phones and targets", () => {
    expect(parseRouteInput("allow.add", noQuery, { phone: "sms:+15551234567" }).input).toEqual({
      phone: "+15551234567",
    });
    expect(
      parseRouteInput("messages.send", noQuery, { target: "twilio-sms:+15551234567", message: "hi", account: "a" })
        .input,
    ).toEqual({ target: "+15551234567", message: "hi", account: "a" });
    expect(parseRouteInput("messages.send", noQuery, { message: "hi" }).input).toEqual({ message: "hi" });
  });

  it("reads status flags from the query", () => {
    expect(parseRouteInput("status", new URLSearchParams("probe=1"), undefined).input).toEqual({ probe: true });
    expect(parseRouteInput("status", new URLSearchParams("probe=false&account=x"), undefined).input).toEqual({
      probe: false,
      account: "x",
    });
  });

  it("reads webhook set's dryRun from the body or, as the account, from the query string", () => {
    const webhook = (query: string, body: unknown) => parseRouteInput("webhook.set", new URLSearchParams(query), body);
    expect(webhook("", {}).input).toEqual({ dryRun: false });
    expect(webhook("", { dryRun: true, account: "a" }).input).toEqual({ dryRun: true, account: "a" });
    expect(webhook("dryRun=1&account=a", {}).input).toEqual({ dryRun: true, account: "a" });
    expect(webhook("dryRun=true", { dryRun: true }).input).toEqual({ dryRun: true });
    expect(webhook("dryRun=0", {}).input).toEqual({ dryRun: false });
  });

  it("refuses a dryRun the body and the query string disagree on, or that is not a flag", () => {
    const conflict = failure("webhook.set", { dryRun: false }, new URLSearchParams("dryRun=1"));
    expect(conflict).toMatchObject({ status: 400, field: "dryRun" });
    expect(conflict.message).toBe("dryRun: the body says false but the query string says true; give it once");
    expect(failure("webhook.set", {}, new URLSearchParams("dryRun=maybe")).message).toBe(
      'dryRun: expected 1 or 0 (true or false), got "maybe"',
    );
  });

  it("reads the dead-letter queue of purge and redrive from the body or the query string, never ignoring either", () => {
    const purge = (query: string, body: unknown) => parseRouteInput("dlq.purge", new URLSearchParams(query), body);
    expect(purge("queue=turns", {}).input).toEqual({ queue: "turns" });
    expect(purge("", { queue: "replies" }).input).toEqual({ queue: "replies" });
    expect(purge("", {}).input).toEqual({});
    expect(parseRouteInput("dlq.redrive", new URLSearchParams("queue=replies"), {}).input).toEqual({
      queue: "replies",
    });
    expect(failure("dlq.purge", { queue: "turns" }, new URLSearchParams("queue=replies")).message).toBe(
      'queue: the body says "turns" but the query string says "replies"; give it once',
    );
    expect(failure("dlq.purge", {}, new URLSearchParams("queue=outbox")).message).toContain('got "outbox"');
  });

  it.each<[RouteName, unknown, string, string]>([
    ["pairing.approve", {}, "code", "code: required"],
    ["pairing.approve", { code: 12345678 }, "code", "code: expected a string, got number 12345678"],
    ["pairing.approve", { code: "   " }, "code", "code: expected a non-empty string"],
    ["pairing.approve", { code: "ABC-0000" }, "code", "code: expected the pairing code from the SMS"],
    ["pairing.approve", { code: "ABCD2345", Code: "x" }, "Code", "Code: unknown field; expected only code, account"],
    ["pairing.deny", { code: "ABCD2345", account: "bad id!" }, "account", "account: expected an account id"],
    ["allow.add", { phone: "5551234" }, "phone", "phone: expected an E.164 number such as +15551234567"],
    ["allow.remove", {}, "phone", "phone: required"],
    ["messages.send", { target: "sms:5551234", message: "x" }, "target", "target: expected sms:+E164"],
    ["messages.send", { target: "+15551234567" }, "message", "message: required"],
    ["messages.send", { message: "  " }, "message", "message: expected a non-empty text"],
    [
      "messages.send",
      { message: "x".repeat(20_001) } as unknown,
      "message",
      "message: expected at most 20000 characters",
    ],
    ["messages.send", { message: "x", media: "https://a.example/x.png" }, "media", "media: expected an array"],
    [
      "messages.send",
      { message: "x", media: ["http://a.example/x.png"] },
      "media[0]",
      "media[0]: expected a public https URL",
    ],
    [
      "messages.send",
      { message: "x", media: Array(11).fill("https://a.example/x.png") },
      "media",
      "media: expected at most 10",
    ],
    [
      "messages.send",
      { message: "x", to: "+15551234567" },
      "to",
      "to: unknown field; expected only target, message, media, account",
    ],
  ])("%s (case %#) -> 400 naming %s", (route, body, field, message) => {
    const error = failure(route, body);
    expect(error.status).toBe(400);
    expect(error.field).toBe(field);
    expect(error.message.startsWith(message)).toBe(true);
  });

  it("rejects a body that is not an object", () => {
    for (const body of [[], "x", 3, null]) {
      const error = failure("allow.add", body);
      expect(error.message).toBe("request body: expected a JSON object");
    }
  });

  it("rejects bad query values naming the parameter", () => {
    expect(failure("status", undefined, new URLSearchParams("probe=maybe")).message).toBe(
      'probe: expected 1 or 0 (true or false), got "maybe"',
    );
    expect(failure("pairing.list", undefined, new URLSearchParams("account=a/b")).field).toBe("account");
  });
});
