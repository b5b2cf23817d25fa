import { describe, expect, it } from "vitest";
import { countSegments } from "../../../lib/text/segments.ts";

const gsm = (n: number) => "a".repeat(n);
const ucs = (n: number) => "Ж".repeat(n);

describe("countSegments", () => {
  it.each([
    [1, 1],
    [160, 1],
    [161, 2],
    [306, 2],
    [307, 3],
    [459, 3],
    [460, 4],
    [1530, 10],
    [1600, 11],
  ])("bills %i GSM-7 characters as %i segments", (length, segments) => {
    expect(countSegments(gsm(length))).toEqual({ encoding: "GSM-7", units: length, segments });
  });

  it.each([
    [1, 1],
    [70, 1],
    [71, 2],
    [134, 2],
    [135, 3],
    [201, 3],
    [202, 4],
  ])("bills %i UCS-2 characters as %i segments", (length, segments) => {
    expect(countSegments(ucs(length))).toEqual({ encoding: "UCS-2", units: length, segments });
  });

  it("bills nothing for the empty string", () => {
    expect(countSegments("")).toEqual({ encoding: "GSM-7", units: 0, segments: 0 });
  });

  it("counts extension characters as two septets", () => {
    expect(countSegments("€".repeat(80))).toEqual({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(countSegments("€".repeat(81))).toEqual({ encoding: "GSM-7", units: 162, segments: 2 });
    expect(countSegments(`${gsm(159)}{`)).toEqual({ encoding: "GSM-7", units: 161, segments: 2 });
  });

  it("never splits an escape pair across parts: a euro at a part boundary starts the next part", () => {
    // 152 septets, then the 2-septet euro cannot fit in the first 153-septet part.
    expect(countSegments(`${gsm(152)}€${gsm(152)}`)).toEqual({ encoding: "GSM-7", units: 306, segments: 3 });
    expect(countSegments(`${gsm(151)}€${gsm(153)}`)).toEqual({ encoding: "GSM-7", units: 306, segments: 2 });
  });

  it("counts an emoji as two UTF-16 code units", () => {
    expect(countSegments("😀")).toEqual({ encoding: "UCS-2", units: 2, segments: 1 });
    expect(countSegments("😀".repeat(35))).toEqual({ encoding: "UCS-2", units: 70, segments: 1 });
    expect(countSegments("😀".repeat(36))).toEqual({ encoding: "UCS-2", units: 72, segments: 2 });
  });

  it("never splits a surrogate pair across parts", () => {
    // 66 units, then the emoji's pair cannot fit in the first 67-unit part.
    expect(countSegments(`${gsm(66)}😀${gsm(66)}`)).toEqual({ encoding: "UCS-2", units: 134, segments: 3 });
    expect(countSegments(`${gsm(65)}😀${gsm(67)}`)).toEqual({ encoding: "UCS-2", units: 134, segments: 2 });
  });

  it("switches the whole message to UCS-2 for one character outside GSM-7", () => {
    expect(countSegments(`${gsm(100)}日`)).toEqual({ encoding: "UCS-2", units: 101, segments: 2 });
    expect(countSegments("Hello 日本")).toEqual({ encoding: "UCS-2", units: 8, segments: 1 });
    expect(countSegments("Привет, мир!")).toEqual({ encoding: "UCS-2", units: 12, segments: 1 });
  });

  it("counts extension characters as one code unit once in UCS-2", () => {
    expect(countSegments("€[]日")).toEqual({ encoding: "UCS-2", units: 4, segments: 1 });
  });

  it("counts new lines and carriage returns as GSM-7", () => {
    expect(countSegments("a\r\nb")).toEqual({ encoding: "GSM-7", units: 4, segments: 1 });
  });

  it("counts CJK text per code unit", () => {
    expect(countSegments("日本語".repeat(24))).toEqual({ encoding: "UCS-2", units: 72, segments: 2 });
  });
});
