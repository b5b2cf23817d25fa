import { describe, expect, it } from "vitest";
import { parsePhoneField, parseSmsTarget } from "../../../lib/admin/target.ts";

describe("parseSmsTarget", () => {
  it.each([
    ["sms:+15551234567", "+15551234567"],
    ["twilio-sms:+15551234567", "+15551234567"],
    ["+15551234567", "+15551234567"],
    ["  SMS:+447700900123 ", "+447700900123"],
    ["Twilio-SMS: +447700900123", "+447700900123"],
  ])("accepts %j", (input, phone) => {
    expect(parseSmsTarget(input)).toEqual({ ok: true, phone });
  });

  it.each(["15551234567", "sms:15551234567", "+0155512345", "imessage:+15551234567", "+1555123456789012", ""])(
    "rejects %j and lists the accepted forms",
    (input) => {
      const parsed = parseSmsTarget(input);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.problem).toContain("sms:+E164, twilio-sms:+E164, +E164");
        expect(parsed.problem).toContain(JSON.stringify(input));
      }
    },
  );

  it("words phone-number errors for a number field", () => {
    expect(parsePhoneField("555")).toEqual({
      ok: false,
      problem: 'expected an E.164 number such as +15551234567 (sms: / twilio-sms: prefixes allowed), got "555"',
    });
  });
});
