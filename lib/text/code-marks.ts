/*
 * Code in a reply must reach the phone byte for byte: typography normalisation and whitespace tidying are for prose
 * only. The markdown renderer wraps each piece of code in two Unicode noncharacters, which Unicode sets aside for a
 * program's internal use (they never carry meaning in text), so later steps can tell code from prose in one string.
 * Two more wrap what must reach the phone in one text (a link and its address); `readMarks` turns all of them into
 * ranges of the final text for the chunker.
 */

const CODE_START = "\uFDD0";
const CODE_END = "\uFDD1";
const KEEP_START = "\uFDD2";
const KEEP_END = "\uFDD3";
const MARKS_RE = /[\uFDD0-\uFDD3]/gu;

export interface TextRange {
  start: number;
  end: number;
}

/** Plain text with where its code is and what must not be cut apart. */
export interface MarkedRanges {
  text: string;
  code: TextRange[];
  keep: TextRange[];
}

export interface TextPart {
  text: string;
  code: boolean;
}

/** Wraps code so later steps leave it alone; empty code stays empty so it adds no visible block. */
export function markCode(code: string): string {
  return code === "" ? "" : `${CODE_START}${code}${CODE_END}`;
}

/** Wraps text that must not be split between two SMS (a link's label and its address). */
export function markKeep(text: string): string {
  return text === "" ? "" : `${KEEP_START}${text}${KEEP_END}`;
}

/** Removes the marks: from input (so a reply cannot forge them) and from text compared as a reader sees it. */
export function stripCodeMarks(text: string): string {
  return text.replace(MARKS_RE, "");
}

/**
 * Splits marked text into prose and code parts, in order, without the code marks (keep marks stay in the prose
 * parts); empty prose parts are left out.
 */
export function splitCodeMarks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  while (at < text.length) {
    const start = text.indexOf(CODE_START, at);
    const proseEnd = start < 0 ? text.length : start;
    if (proseEnd > at) parts.push({ text: text.slice(at, proseEnd), code: false });
    if (start < 0) break;
    const end = text.indexOf(CODE_END, start + 1);
    const codeEnd = end < 0 ? text.length : end;
    parts.push({ text: text.slice(start + 1, codeEnd), code: true });
    at = codeEnd + 1;
  }
  return parts;
}

/** The text without marks, trimmed, with the ranges the marks enclosed (an unclosed mark runs to the end). */
export function readMarks(marked: string): MarkedRanges {
  const code: TextRange[] = [];
  const keep: TextRange[] = [];
  const openKeeps: number[] = [];
  let codeStart: number | undefined;
  let text = "";
  for (const char of marked) {
    if (char === CODE_START) codeStart ??= text.length;
    else if (char === CODE_END && codeStart !== undefined) {
      code.push({ start: codeStart, end: text.length });
      codeStart = undefined;
    } else if (char === KEEP_START) openKeeps.push(text.length);
    else if (char === KEEP_END) {
      const start = openKeeps.pop();
      if (start !== undefined) keep.push({ start, end: text.length });
    } else if (char !== CODE_END) text += char;
  }
  if (codeStart !== undefined) code.push({ start: codeStart, end: text.length });
  for (const start of openKeeps) keep.push({ start, end: text.length });
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const shift = (ranges: TextRange[]) =>
    ranges
      .map((range) => ({
        start: Math.max(0, range.start - lead),
        end: Math.min(trimmed.length, range.end - lead),
      }))
      .filter((range) => range.end > range.start)
      .sort((a, b) => a.start - b.start);
  return { text: trimmed, code: shift(code), keep: shift(keep) };
}
