import { describe, expect, it } from "vitest";
import {
  classifyTwilioFailure,
  scrubErrorText,
  TwilioApiError,
  TwilioTimeoutError,
  twilioApiErrorFromResponse,
  twilioFailureKind,
} from "../../../lib/twilio/api-errors.ts";

describe("classifyTwilioFailure", () => {
  it.each([
    [429, 20429, "retryable"],
    [429, null, "retryable"],
    [400, 20429, "retryable"],
    [500, 20500, "retryable"],
    [502, null, "retryable"],
    [503, 20503, "retryable"],
    [401, 20003, "auth"],
    [401, null, "auth"],
    [403, 20003, "auth"],
    [400, 21610, "opted-out"],
    [400, 21211, "terminal"],
    [400, 21604, "terminal"],
    [400, 21617, "terminal"],
    [404, 20404, "terminal"],
    [403, 20008, "terminal"],
    [400, null, "terminal"],
  ] as const)("HTTP %i code %s -> %s", (status, code, kind) => {
    expect(classifyTwilioFailure(status, code)).toBe(kind);
  });
});

describe("twilioApiErrorFromResponse", () => {
  it("reads Twilio's error JSON", () => {
    const error = twilioApiErrorFromResponse(
      "sendMessage",
      400,
      JSON.stringify({
        code: 21610,
        message: "Attempt to send to unsubscribed recipient",
        more_info: "https://www.twilio.com/docs/errors/21610",
        status: 400,
      }),
    );
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toMatchObject({
      name: "TwilioApiError",
      operation: "sendMessage",
      httpStatus: 400,
      code: 21610,
      moreInfo: "https://www.twilio.com/docs/errors/21610",
      kind: "opted-out",
    });
    expect(error.message).toBe(
      "Twilio sendMessage failed with HTTP 400 code 21610: Attempt to send to unsubscribed recipient",
    );
  });

  it("copes with a body that is not Twilio's JSON (e.g. a proxy's HTML page)", () => {
    const error = twilioApiErrorFromResponse("listMessages", 502, "<html>Bad gateway</html>");
    expect(error).toMatchObject({ httpStatus: 502, code: null, moreInfo: null, kind: "retryable" });
    expect(error.message).toBe("Twilio listMessages failed with HTTP 502");
  });

  it("keeps secrets and full phone numbers out of the message", () => {
    const error = twilioApiErrorFromResponse(
      "sendMessage",
      400,
      JSON.stringify({ code: 21211, message: "Invalid 'To' Phone Number: +14155550123 (tok-123456) hello there" }),
      ["tok-123456", "hello there"],
    );
    expect(error.message).not.toContain("tok-123456");
    expect(error.message).not.toContain("hello there");
    expect(error.message).not.toContain("4155550123");
    expect(error.message).toContain("***0123");
  });
});

describe("scrubErrorText", () => {
  it("masks digit runs of phone-number length but leaves error codes and small numbers", () => {
    expect(scrubErrorText("code 21211 for +1 (415) 555-0123, limit 1600", [])).toBe(
      "code 21211 for ***0123, limit 1600",
    );
  });
});

describe("twilioFailureKind", () => {
  it("reports the kind of adapter errors and null for others", () => {
    expect(twilioFailureKind(new TwilioTimeoutError("sendMessage", "timeout"))).toBe("ambiguous");
    expect(twilioFailureKind(twilioApiErrorFromResponse("sendMessage", 401, "{}"))).toBe("auth");
    expect(twilioFailureKind(new Error("boom"))).toBeNull();
  });
});
