import { describe, expect, it } from "vitest";
import type { Log } from "../../../lib/log/log.ts";
import { narratingLog } from "../../../lib/log/narrating-log.ts";
import { narrate } from "../../../lib/log/narration.ts";

const SID = `SM${"a".repeat(32)}`;
const who = { account: "default", from: "+155****4321", messageSid: SID };
const reply = { event: "reply", account: "default", to: "+155****4321", replyId: "agent:default:SM1" };

describe("narrate: one readable line per message, reply and delivery status", () => {
  it("says what became of an inbound message, and why it was dropped", () => {
    expect(narrate({ event: "inbound", outcome: "turn", ...who })).toBe(
      `[sms in] default from +155****4321 ${SID}: queued as a turn for the agent`,
    );
    expect(narrate({ event: "inbound", outcome: "dropped:rate-limit-sender", ...who })).toBe(
      `[sms in] default from +155****4321 ${SID}: dropped: the sender is over inboundRateLimit.perSenderPerMinute`,
    );
    expect(narrate({ event: "inbound", outcome: "opted-out", ...who })).toContain(
      ": STOP: the sender opted out; replies to it are refused from now on",
    );
    expect(narrate({ event: "inbound", outcome: "duplicate", earlier: "help", ...who })).toContain(
      ": already handled (a Twilio retry or a replay); changed nothing (earlier: HELP: not forwarded",
    );
  });

  it("names the refused webhook's problem without a sender it cannot trust", () => {
    expect(narrate({ event: "inbound", outcome: "refused:input", account: "support", field: "NumMedia" })).toBe(
      "[sms in] support: refused (400): not shaped as Twilio sends (field NumMedia)",
    );
    expect(narrate({ event: "inbound", outcome: "refused:signature", account: "default", path: "/x" })).toBe(
      "[sms in] default: refused (403): the X-Twilio-Signature does not match",
    );
  });

  it("counts a sent reply's texts and segments and lists its sids", () => {
    expect(narrate({ ...reply, outcome: "sent", texts: 2, segments: 3, sids: ["SM1", "SM2"] })).toBe(
      "[reply] default to +155****4321 agent:default:SM1: sent 2 texts, 3 segments (SM1, SM2)",
    );
    expect(narrate({ ...reply, outcome: "sent", texts: 1, segments: 1, sids: ["SM1"] })).toContain(
      ": sent 1 text, 1 segment (SM1)",
    );
  });

  it("says why a reply did not go out: refused, Twilio's code, a retry's delay, the dead-letter queue", () => {
    expect(narrate({ ...reply, outcome: "refused", reason: "recipient opted out" })).toContain(
      ": refused: recipient opted out",
    );
    expect(narrate({ ...reply, outcome: "failed", code: 21211, httpStatus: 400, chunk: 1 })).toContain(
      ": failed: Twilio error 21211 (HTTP 400) on text 2",
    );
    expect(narrate({ ...reply, outcome: "failed", reason: "reply.text: nothing visible to send" })).toContain(
      ": failed: reply.text: nothing visible to send",
    );
    expect(
      narrate({ ...reply, outcome: "retry-later", delaySeconds: 4, reason: "Twilio 503 (code none) on chunk 0" }),
    ).toContain(": not sent yet, retried in 4 s: Twilio 503 (code none) on chunk 0");
    expect(
      narrate({ event: "reply", outcome: "dead-lettered", messageId: "m1", reason: "reply: body is not JSON" }),
    ).toBe("[reply] message m1: moved to the replies dead-letter queue (smsctl dlq list): reply: body is not JSON");
  });

  it("shows a delivery status with Twilio's error code, and a repeat as not recorded again", () => {
    const status = { event: "delivery-status", account: "default", messageSid: SID };
    expect(narrate({ ...status, status: "delivered", outcome: "recorded" })).toBe(`[status] default ${SID}: delivered`);
    expect(narrate({ ...status, status: "undelivered", errorCode: "30003", outcome: "recorded" })).toBe(
      `[status] default ${SID}: undelivered (Twilio error 30003)`,
    );
    expect(narrate({ ...status, status: "sent", outcome: "ignored-late" })).toBe(
      `[status] default ${SID}: sent (ignored-late: not recorded again)`,
    );
  });

  it("leaves every other record alone", () => {
    expect(narrate({ account: "default", route: "status" })).toBeUndefined();
    expect(narrate({ event: "something-else" })).toBeUndefined();
  });
});

describe("narratingLog", () => {
  function recorder() {
    const calls: Array<[string, string, unknown[]]> = [];
    const at =
      (level: string) =>
      (message: string, ...extra: unknown[]) =>
        calls.push([level, message, extra]);
    const inner = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") } as Log;
    const lines: string[] = [];
    return { log: narratingLog(inner, (line) => lines.push(line)), calls, lines };
  }

  it("prints narrated records as lines at any level, instead of passing them on", () => {
    const { log, calls, lines } = recorder();
    log.info("inbound message handled", { event: "inbound", outcome: "turn", ...who });
    log.warn("webhook not handled", { event: "inbound", outcome: "refused:signature", account: "default" });
    log.error("reply moved to the dead-letter queue", { ...reply, outcome: "dead-lettered", reason: "r" });
    expect(lines).toHaveLength(3);
    expect(calls).toEqual([]);
  });

  it("passes every other record, and errors, to the JSON log at their level", () => {
    const { log, calls, lines } = recorder();
    const failure = new Error("boom");
    log.info("admin request", { route: "status", status: 200 });
    log.error("record failed unexpectedly", failure);
    log.debug("no fields");
    expect(lines).toEqual([]);
    expect(calls).toEqual([
      ["info", "admin request", [{ route: "status", status: 200 }]],
      ["error", "record failed unexpectedly", [failure]],
      ["debug", "no fields", []],
    ]);
  });
});
