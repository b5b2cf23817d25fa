import { describe, expect, it } from "vitest";
import { formatSenderAddress, numberOf, parseChannelAddress, parseSenderAddress } from "../../../lib/access/address.ts";
import { maskPhone } from "../../../lib/access/phone.ts";

describe("Twilio addresses", () => {
  it("reads a sender as SMS or RCS, any case of the rcs: prefix", () => {
    expect(parseSenderAddress("+15557654321")).toEqual({ channel: "sms", number: "+15557654321" });
    for (const prefix of ["rcs:", "RCS:", "Rcs:"]) {
      expect(parseSenderAddress(`${prefix}+15557654321`)).toEqual({ channel: "rcs", number: "+15557654321" });
    }
  });

  it("refuses what is neither", () => {
    for (const value of ["15557654321", "whatsapp:+15557654321", "rcs:15557654321", "rcs:", "", "sms:+15557654321"]) {
      expect(parseSenderAddress(value)).toBeNull();
    }
  });

  it("formats back the spelling turns and replies use", () => {
    expect(formatSenderAddress({ channel: "rcs", number: "+15557654321" })).toBe("rcs:+15557654321");
    expect(formatSenderAddress({ channel: "sms", number: "+15557654321" })).toBe("+15557654321");
    expect(numberOf("RCS:+15557654321")).toBe("+15557654321");
    expect(numberOf("+15557654321")).toBe("+15557654321");
  });

  it("reads the channel's own address: a number or an RCS sender id", () => {
    expect(parseChannelAddress("+15551234567")).toBe("+15551234567");
    expect(parseChannelAddress("RCS:acme_support-1.agent")).toBe("rcs:acme_support-1.agent");
    expect(parseChannelAddress("rcs:has space")).toBeNull();
    expect(parseChannelAddress("5551234567")).toBeNull();
  });

  it("masks an RCS address like a number, prefix visible", () => {
    expect(maskPhone("rcs:+15557654321")).toBe("rcs:+155****4321");
    expect(maskPhone("rcs:nope")).toBe("<invalid-number>");
  });
});
