import { describe, expect, it } from "vitest";
import { maskPhone, normalisePhoneTarget } from "../../../lib/access/phone.ts";

describe("phone targets", () => {
  it.each([
    ["+15557654321", "+15557654321"],
    ["sms:+15557654321", "+15557654321"],
    ["twilio-sms:+15557654321", "+15557654321"],
    ["SMS:+15557654321", "+15557654321"],
    [" +447700900123 ", "+447700900123"],
  ])("normalises %j", (input, expected) => expect(normalisePhoneTarget(input)).toBe(expected));

  it.each(["15557654321", "+0555", "+1 555 765 4321", "imessage:+15557654321", "+1234567890123456", "", "sms:"])(
    "rejects %j",
    (input) => expect(normalisePhoneTarget(input)).toBeNull(),
  );

  it("masks all but the country prefix and last four digits", () => {
    expect(maskPhone("+15557654321")).toBe("+155****4321");
    expect(maskPhone("not a number")).toBe("<invalid-number>");
  });
});
