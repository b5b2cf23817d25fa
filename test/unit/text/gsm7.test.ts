import { describe, expect, it } from "vitest";
import { GSM7_BASIC_CHARS, GSM7_EXTENSION_CHARS, gsm7Septets, isGsm7 } from "../../../lib/text/gsm7.ts";
import { countSegments } from "../../../lib/text/segments.ts";

// GSM 03.38 basic table written out independently of the implementation, row by row (the escape slot left out).
const BASIC =
  "@£$¥èéùìòÇ\nØø\rÅå" +
  "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ" +
  " !\"#¤%&'()*+,-./" +
  "0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNO" +
  "PQRSTUVWXYZÄÖÑÜ§" +
  "¿abcdefghijklmno" +
  "pqrstuvwxyzäöñüà";
const EXTENSION = ["\f", "^", "{", "}", "\\", "[", "~", "]", "|", "€"];

describe("GSM-7 tables", () => {
  it("hold the 127 basic characters and the 10 extension characters", () => {
    expect(Array.from(GSM7_BASIC_CHARS)).toHaveLength(127);
    expect(new Set(GSM7_BASIC_CHARS)).toEqual(new Set(BASIC));
    expect(new Set(GSM7_EXTENSION_CHARS)).toEqual(new Set(EXTENSION));
  });

  it.each(Array.from(BASIC))("counts basic character %j as one septet", (char) => {
    expect(gsm7Septets(char.codePointAt(0) ?? -1)).toBe(1);
    expect(isGsm7(char)).toBe(true);
    expect(countSegments(char)).toEqual({ encoding: "GSM-7", units: 1, segments: 1 });
  });

  it.each(EXTENSION)("counts extension character %j as two septets", (char) => {
    expect(gsm7Septets(char.codePointAt(0) ?? -1)).toBe(2);
    expect(isGsm7(char)).toBe(true);
    expect(countSegments(char)).toEqual({ encoding: "GSM-7", units: 2, segments: 1 });
  });

  it("counts the whole basic table as 127 septets and the extension table as 20", () => {
    expect(countSegments(BASIC)).toEqual({ encoding: "GSM-7", units: 127, segments: 1 });
    expect(countSegments(EXTENSION.join(""))).toEqual({ encoding: "GSM-7", units: 20, segments: 1 });
  });

  it.each([
    ["backtick", "`"],
    ["c cedilla (only the capital is GSM-7)", "ç"],
    ["a acute", "á"],
    ["E grave (only e grave is GSM-7)", "È"],
    ["bullet", "•"],
    ["curly quote", "\u2019"],
    ["em dash", "\u2014"],
    ["tab", "\t"],
    ["Greek small alpha", "α"],
    ["Greek capital alpha (looks like A, not in the table)", "Α"],
    ["Cyrillic", "Ж"],
    ["CJK", "日"],
    ["Arabic", "ع"],
    ["emoji", "😀"],
    ["degree sign", "°"],
  ])("finds no GSM-7 form for the %s", (_name, char) => {
    expect(gsm7Septets(char.codePointAt(0) ?? -1)).toBe(0);
    expect(isGsm7(`plain ${char} text`)).toBe(false);
    expect(countSegments(char).encoding).toBe("UCS-2");
  });

  it("treats the empty string as GSM-7", () => {
    expect(isGsm7("")).toBe(true);
  });
});
