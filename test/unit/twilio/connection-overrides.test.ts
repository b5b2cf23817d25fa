import { describe, expect, it } from "vitest";
import { STATUS_CALLBACK_OVERRIDES, statusCallbackWithRetries } from "../../../lib/outbound/status-callback.ts";
import { withConnectionOverrides } from "../../../lib/twilio/connection-overrides.ts";

describe("withConnectionOverrides", () => {
  it("puts the overrides in the fragment, after any query string", () => {
    expect(withConnectionOverrides("https://x.example/sms?a=1", { rp: ["5xx", "ct"], rt: 2000, rc: 3 })).toBe(
      "https://x.example/sms?a=1#rp=5xx,ct&rt=2000&rc=3",
    );
  });

  it("keeps an operator's own fragment and its values; only missing keys are added", () => {
    expect(withConnectionOverrides("https://x.example/sms#rc=2&e=ashburn", { rp: ["5xx"], rc: 5 })).toBe(
      "https://x.example/sms#rc=2&e=ashburn&rp=5xx",
    );
  });

  it("refuses values outside Twilio's ranges", () => {
    expect(() => withConnectionOverrides("https://x.example", { rc: 6 })).toThrow(RangeError);
    expect(() => withConnectionOverrides("https://x.example", { rt: 50 })).toThrow(RangeError);
    expect(() => withConnectionOverrides("https://x.example", { ct: 10_001 })).toThrow(RangeError);
    expect(() => withConnectionOverrides("https://x.example", { tt: 1.5 })).toThrow(RangeError);
    expect(() => withConnectionOverrides("https://x.example", { rp: [] })).toThrow(RangeError);
  });
});

describe("the status callback's overrides", () => {
  it("retry server errors and timeouts, never a 4xx (our deliberate refusals)", () => {
    expect(STATUS_CALLBACK_OVERRIDES.rp).not.toContain("4xx");
    expect(STATUS_CALLBACK_OVERRIDES.rp).not.toContain("all");
    expect(statusCallbackWithRetries("https://abc.example/prod/webhooks/sms")).toBe(
      "https://abc.example/prod/webhooks/sms#rp=5xx,ct,rt&rt=5000&rc=5",
    );
  });
});
