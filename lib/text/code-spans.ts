/*
 * Where a markdown reply holds code, found line by line without a full parse: what the reasoning filter must leave
 * alone. It errs towards "code" (a line indented by four spaces in a list is taken for code), since leaving a tag in
 * place only costs a few characters while removing code would change it.
 */

import type { TextRange } from "./code-marks.ts";

/** A fenced block, or indented or inline code. */
export interface CodeRange extends TextRange {
  fenced: boolean;
}

// A fence after any indentation (inside a list item) or quote markers (inside a block quote).
const FENCE_RE = /^(?:[ \t]*>)*[ \t]*(`{3,}|~{3,})/u;
const INDENTED_RE = /^(?: {4}|\t)/u;

interface Line {
  text: string;
  start: number;
}

/** Fenced code (to its closing fence, or the end), indented code blocks and inline code spans of `text`, in order. */
export function codeRanges(text: string): CodeRange[] {
  const ranges: CodeRange[] = [];
  let fence: { marker: string; start: number } | undefined;
  let paragraph: Line[] = [];
  let previousBlank = true;
  let inIndentedCode = false;
  const endParagraph = () => {
    ranges.push(...inlineCodeRanges(paragraph));
    paragraph = [];
  };
  for (const line of lines(text)) {
    const opening = FENCE_RE.exec(line.text)?.[1];
    const blank = line.text.trim() === "";
    if (fence) {
      const closing = opening && opening[0] === fence.marker[0] && opening.length >= fence.marker.length;
      if (closing && line.text.trim().replace(/^(?:>\s*)*/u, "") === opening) {
        ranges.push({ start: fence.start, end: line.start + line.text.length, fenced: true });
        fence = undefined;
      }
    } else if (opening) {
      endParagraph();
      fence = { marker: opening, start: line.start };
    } else if (!blank && INDENTED_RE.test(line.text) && (previousBlank || inIndentedCode)) {
      endParagraph();
      inIndentedCode = true;
      ranges.push({ start: line.start, end: line.start + line.text.length, fenced: false });
    } else if (blank) {
      endParagraph();
    } else {
      inIndentedCode = false;
      paragraph.push(line);
    }
    previousBlank = blank;
    if (!blank && !INDENTED_RE.test(line.text)) inIndentedCode = false;
  }
  endParagraph();
  if (fence) ranges.push({ start: fence.start, end: text.length, fenced: true });
  return ranges.sort((a, b) => a.start - b.start);
}

function lines(text: string): Line[] {
  const found: Line[] = [];
  let start = 0;
  for (const line of text.split("\n")) {
    found.push({ text: line, start });
    start += line.length + 1;
  }
  return found;
}

/** `code` spans of one paragraph (they may run over a line break): a backtick run up to the next of its length. */
function inlineCodeRanges(paragraph: readonly Line[]): CodeRange[] {
  const first = paragraph[0];
  const last = paragraph[paragraph.length - 1];
  if (!first || !last) return [];
  const runs: Array<{ at: number; length: number }> = [];
  for (const line of paragraph) {
    for (const match of line.text.matchAll(/`+/gu))
      runs.push({ at: line.start + match.index, length: match[0].length });
  }
  // Each run's closing run is the next one of the same length; a cursor per length keeps this linear.
  const byLength = new Map<number, number[]>();
  runs.forEach((run, index) => {
    const same = byLength.get(run.length);
    if (same) same.push(index);
    else byLength.set(run.length, [index]);
  });
  const cursor = new Map<number, number>();
  const ranges: CodeRange[] = [];
  for (let index = 0; index < runs.length; index += 1) {
    const open = runs[index];
    if (!open) continue;
    const same = byLength.get(open.length) ?? [];
    let at = cursor.get(open.length) ?? 0;
    while (at < same.length && (same[at] ?? 0) <= index) at += 1;
    cursor.set(open.length, at);
    const closeIndex = same[at];
    const close = closeIndex === undefined ? undefined : runs[closeIndex];
    if (closeIndex === undefined || !close) continue;
    ranges.push({ start: open.at, end: close.at + close.length, fenced: false });
    index = closeIndex;
  }
  return ranges;
}

export function inCode(ranges: readonly TextRange[], position: number): boolean {
  return ranges.some((range) => range.start <= position && position < range.end);
}

export function overlapsCode(ranges: readonly TextRange[], start: number, end: number): boolean {
  return ranges.some((range) => range.start < end && start < range.end);
}
