import { describe, expect, it } from "vitest";
import { generatePairingCode, PAIRING_ALPHABET, pairingRequestText } from "../../../lib/access/pairing-code.ts";

describe("pairing codes", () => {
  it("are 8 characters from an alphabet without 0, O, 1 or I", () => {
    expect(PAIRING_ALPHABET).not.toMatch(/[0O1I]/);
    for (let i = 0; i < 200; i++) expect(generatePairingCode(new Set())).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
  });

  it("never repeat a pending code", () => {
    let calls = 0;
    // A rigged source that produces "AAAAAAAA" first, then "BBBBBBBB".
    const rigged = () => (calls++ < 8 ? 0 : 1);
    expect(generatePairingCode(new Set(["AAAAAAAA"]), rigged)).toBe("BBBBBBBB");
  });

  it("the request SMS names the number, the code and the owner's command", () => {
    const text = pairingRequestText("+15557654321", "ABCDEFGH");
    expect(text).toContain("+15557654321");
    expect(text).toContain("ABCDEFGH");
    expect(text).toContain("smsctl pairing approve ABCDEFGH");
  });
});
