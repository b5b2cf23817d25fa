import { describe, expect, it } from "vitest";
import { markCode, splitCodeMarks, stripCodeMarks } from "../../../lib/text/code-marks.ts";

describe("code marks", () => {
  it("splits marked text back into prose and code parts, in order", () => {
    const text = `Run ${markCode("ls `pwd`")} then${markCode("a\n\n\tb  ")}.`;
    expect(splitCodeMarks(text)).toEqual([
      { text: "Run ", code: false },
      { text: "ls `pwd`", code: true },
      { text: " then", code: false },
      { text: "a\n\n\tb  ", code: true },
      { text: ".", code: false },
    ]);
  });

  it("leaves unmarked text as one prose part and empty text as none", () => {
    expect(splitCodeMarks("just prose")).toEqual([{ text: "just prose", code: false }]);
    expect(splitCodeMarks("")).toEqual([]);
  });

  it("adds nothing for empty code", () => {
    expect(markCode("")).toBe("");
  });

  it("treats an unterminated mark as code to the end", () => {
    expect(splitCodeMarks("a\uFDD0b")).toEqual([
      { text: "a", code: false },
      { text: "b", code: true },
    ]);
  });

  it("strips the marks, leaving the text a reader sees", () => {
    expect(stripCodeMarks(`see ${markCode("x")}`)).toBe("see x");
  });
});
