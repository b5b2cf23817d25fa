/*
 * Code in a reply must reach the phone byte for byte: typography normalisation and whitespace tidying are for prose
 * only. The markdown renderer wraps each piece of code in two Unicode noncharacters, which Unicode sets aside for a
 * program's internal use (they never carry meaning in text), so later steps can tell code from prose in one string.
 */

const CODE_START = "\uFDD0";
const CODE_END = "\uFDD1";
const MARKS_RE = /[\uFDD0\uFDD1]/gu;

export interface TextPart {
  text: string;
  code: boolean;
}

/** Wraps code so later steps leave it alone; empty code stays empty so it adds no visible block. */
export function markCode(code: string): string {
  return code === "" ? "" : `${CODE_START}${code}${CODE_END}`;
}

/** Removes the marks: from input (so a reply cannot forge them) and from text compared as a reader sees it. */
export function stripCodeMarks(text: string): string {
  return text.replace(MARKS_RE, "");
}

/** Splits marked text into prose and code parts, in order, without the marks; empty prose parts are left out. */
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
