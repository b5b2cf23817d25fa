// Where a long text may be cut into SMS bodies, and how bad each place is: the chunker's candidates.

import type { TextRange } from "./code-marks.ts";

/**
 * Kinds of cut, best first. Paragraph, line and sentence ends are clean: a reader takes each text as a whole. A cut
 * between words exists only inside a sentence longer than a body, and one inside a word only inside a word longer
 * than a body.
 */
export type CutKind = "paragraph" | "line" | "sentence" | "word" | "hard";

export const PENALTY: Readonly<Record<CutKind, number>> = { paragraph: 0, line: 1, sentence: 2, word: 3, hard: 10 };

export interface Cut {
  /** Where the chunk before the cut ends (exclusive). */
  end: number;
  /** Where the chunk after the cut starts; the whitespace in between is dropped. */
  next: number;
  kind: CutKind;
  penalty: number;
}

/** What the text's renderer knows about it: where code is, and stretches (links) that must stay in one text. */
export interface ProtectedRanges {
  code: readonly TextRange[];
  keep: readonly TextRange[];
}

const SENTENCE_END = new Set([".", "!", "?", "\u2026", "\u3002", "\uFF01", "\uFF1F"]);
const CLOSING = new Set(['"', "'", ")", "]", "}", "\u201D", "\u2019", "\u00BB", "\u300D", "\u300F", "\uFF09"]);
// A period after these ends an abbreviation, not a sentence ("e.g. this", "Dr. Tanaka", "at 9 a.m. on Monday").
const ABBREVIATIONS = new Set([
  ..."e.g i.e vs mr mrs ms dr st mt jr sr prof a.m p.m no approx cf fig vol ca".split(" "),
]);
// Initials and dotted abbreviations: "J. Smith", "the U.S. Embassy".
const INITIALS_RE = /^(?:\p{Lu}|(?:\p{L}\.)+\p{L})$/u;
// Japanese line-breaking rules: never start a chunk with closing punctuation, never end one with an opening bracket.
const NO_LINE_START = new Set([..."、。，．・：；？！ー」』）】〕〉》ぁぃぅぇぉっゃゅょァィゥェォッャュョ"]);
const NO_LINE_END = new Set([..."「『（【〔〈《"]);
// Anchored at a word start with a bounded scheme, so a long run of letters cannot make the search quadratic. Ends
// before trailing punctuation, as a reader (and a phone's link detector) reads "see https://x.org/a." .
const URL_RE = /\b(?:[a-z][a-z0-9+.-]{0,31}:\/\/|www\.)\S*[^\s.,;:!?'")\]]/giu;
// A list item's marker and checkbox with the space after them: "- ", "12. ", "- [ ] ".
const LIST_MARKER_RE = /^[ \t]*(?:[-*+\u2022]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?/gmu;
// Numbers written with spaces, brackets or dashes ("10 000", "+1 (555) 123-4567"), which read as one. Not from
// inside a word or a URL ("…/x/1 2"); one character class under the star, so matching stays linear.
const NUMBER_RE = /(?<![\w/.:#-])\+?\(?\d[\d.\-\u00A0 ()]*\d/gu;

export function isWhitespace(char: string | undefined): boolean {
  return char !== undefined && /\s/u.test(char);
}

/** Scripts written without spaces between words (Chinese, Japanese): a cut may go between any two characters. */
function isCjk(char: string | undefined): boolean {
  if (char === undefined) return false;
  const code = char.charCodeAt(0);
  return (
    (code >= 0x3000 && code <= 0x30ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xff00 && code <= 0xffef)
  );
}

function endsSentence(text: string, before: number): boolean {
  let index = before - 1;
  while (index >= 0 && CLOSING.has(text.charAt(index))) index -= 1;
  if (!SENTENCE_END.has(text.charAt(index))) return false;
  if (text.charAt(index) !== ".") return true;
  const word = /[\p{L}.]*$/u.exec(text.slice(Math.max(0, index - 8), index))?.[0] ?? "";
  return !ABBREVIATIONS.has(word.toLowerCase()) && !INITIALS_RE.test(word);
}

function inside(ranges: readonly TextRange[], position: number): boolean {
  return ranges.some((range) => range.start < position && position < range.end);
}

/** Cuts at whitespace runs, by what the run separates. Inside code a cut keeps the next line's indentation. */
function whitespaceCuts(text: string, start: number, end: number, code: readonly TextRange[]): Cut[] {
  const cuts: Cut[] = [];
  let index = start;
  while (index < end) {
    if (!isWhitespace(text.charAt(index))) {
      index += 1;
      continue;
    }
    const runStart = index;
    let newlines = 0;
    let afterNewline = -1;
    while (index < end && isWhitespace(text.charAt(index))) {
      if (text.charAt(index) === "\n") {
        newlines += 1;
        afterNewline = index + 1;
      }
      index += 1;
    }
    const kind: CutKind =
      newlines >= 2 ? "paragraph" : newlines === 1 ? "line" : endsSentence(text, runStart) ? "sentence" : "word";
    const indentedCode = afterNewline >= 0 && code.some((range) => range.start <= index && index < range.end);
    cuts.push({ end: runStart, next: indentedCode ? afterNewline : index, kind, penalty: PENALTY[kind] });
  }
  return cuts;
}

/** Cuts between two characters of a script without spaces, keeping Japanese punctuation on the right line. */
function cjkCuts(text: string, start: number, end: number): Cut[] {
  const cuts: Cut[] = [];
  for (let index = start + 1; index < end; index += 1) {
    const before = text.charAt(index - 1);
    const after = text.charAt(index);
    if (!isCjk(after) || NO_LINE_START.has(after) || NO_LINE_END.has(before)) continue;
    const sentence = SENTENCE_END.has(before);
    if (!isCjk(before) && !sentence) continue;
    const kind: CutKind = sentence ? "sentence" : "word";
    cuts.push({ end: index, next: index, kind, penalty: PENALTY[kind] });
  }
  return cuts;
}

function matchRanges(text: string, re: RegExp): TextRange[] {
  return Array.from(text.matchAll(re), (match) => ({ start: match.index, end: match.index + match[0].length }));
}

/** Each line of each code range, without its trailing spaces: a cut may end a line of code, never split one. */
function codeLines(text: string, code: readonly TextRange[]): TextRange[] {
  const lines: TextRange[] = [];
  for (const range of code) {
    let lineStart = range.start;
    for (const line of text.slice(range.start, range.end).split("\n")) {
      lines.push({ start: lineStart, end: lineStart + line.trimEnd().length });
      lineStart += line.length + 1;
    }
  }
  return lines;
}

/**
 * Stretches no cut may fall inside, as long as they fit in one body: URLs, links with their label, list markers
 * with their checkbox, lines of code, numbers written in groups.
 */
function unbreakable(text: string, protectedRanges: ProtectedRanges, limit: number, level: Protection): TextRange[] {
  if (level === "none") return [];
  const fitting = [
    ...matchRanges(text, URL_RE),
    ...protectedRanges.keep,
    // A marker stays with the first character of its item: "- " never ends a body.
    ...matchRanges(text, LIST_MARKER_RE).map((range) => ({ start: range.start, end: range.end + 1 })),
    ...codeLines(text, protectedRanges.code),
    ...matchRanges(text, NUMBER_RE),
  ].filter((range) => range.end - range.start <= limit);
  return level === "all" ? fitting : withoutLongOverlaps(fitting, limit);
}

/**
 * The ranges minus those that overlap into a stretch longer than a body (a link right after a list marker, say):
 * such a stretch cannot stay whole, so it alone loses its protection; every other stays protected.
 */
function withoutLongOverlaps(ranges: readonly TextRange[], limit: number): TextRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const kept: TextRange[] = [];
  let group: TextRange[] = [];
  let groupEnd = -1;
  const close = () => {
    const first = group[0];
    if (first && groupEnd - first.start <= limit) kept.push(...group);
    group = [];
  };
  for (const range of sorted) {
    if (range.start >= groupEnd) close();
    group.push(range);
    groupEnd = Math.max(groupEnd, range.end);
  }
  close();
  return kept;
}

/**
 * How much stays whole: "all" that fits in a body; "fitting" drops only stretches that overlap into one longer than
 * a body (the chunker's second try, when "all" leaves no way through); "none" is the last resort.
 */
export type Protection = "all" | "fitting" | "none";

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });
// Intl.Segmenter slows down more than linearly on long strings, so long stretches are read in windows.
const SEGMENTER_WINDOW = 1024;

interface Cluster {
  start: number;
  length: number;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/**
 * The grapheme clusters of text[from, to). Each window's last cluster may be cut short by the window edge, so it is
 * read again at the start of the next window; a window never ends inside a surrogate pair.
 */
function clusters(text: string, from: number, to: number): Cluster[] {
  const found: Cluster[] = [];
  let windowStart = from;
  while (windowStart < to) {
    let windowEnd = Math.min(to, windowStart + SEGMENTER_WINDOW);
    if (windowEnd < to && isHighSurrogate(text.charCodeAt(windowEnd - 1))) windowEnd -= 1;
    const segments = Array.from(graphemes.segment(text.slice(windowStart, windowEnd)));
    const last = segments[segments.length - 1];
    const rereadLast = windowEnd < to && segments.length > 1 && last !== undefined;
    for (const { index, segment } of rereadLast ? segments.slice(0, -1) : segments) {
      found.push({ start: windowStart + index, length: segment.length });
    }
    windowStart = rereadLast ? windowStart + last.index : windowEnd;
  }
  return found;
}

/**
 * Cut points inside a run longer than a chunk with no other cut: between grapheme clusters (so never inside a
 * surrogate pair or an emoji sequence), or between code points inside a cluster that alone is too long. Stretches
 * that must stay whole and fit in a chunk stay whole.
 */
function hardCuts(text: string, from: number, to: number, limit: number, whole: readonly TextRange[]): Cut[] {
  const cuts: Cut[] = [];
  const keepWhole = whole.filter((range) => range.end > from && range.start < to);
  for (const cluster of clusters(text, from, to)) {
    if (cluster.start > from && !inside(keepWhole, cluster.start)) {
      cuts.push({ end: cluster.start, next: cluster.start, kind: "hard", penalty: PENALTY.hard });
    }
    if (cluster.length > limit) {
      let offset = 0;
      for (const char of text.slice(cluster.start, cluster.start + cluster.length)) {
        const at = cluster.start + offset;
        if (offset > 0) cuts.push({ end: at, next: at, kind: "hard", penalty: PENALTY.hard });
        offset += char.length;
      }
    }
  }
  return cuts;
}

/**
 * `cuts` in order, plus `finer` ones (computed for a stretch only when needed) wherever the stretch between two
 * consecutive cuts is longer than a chunk.
 */
function refine(
  cuts: readonly Cut[],
  start: number,
  end: number,
  limit: number,
  finer: (from: number, to: number) => Cut[],
): Cut[] {
  const refined: Cut[] = [];
  let stretchStart = start;
  for (const cut of [...cuts, { end, next: end, kind: "paragraph" as const, penalty: 0 }]) {
    if (cut.end - stretchStart > limit) refined.push(...finer(stretchStart, cut.end));
    if (cut.end < end) refined.push(cut);
    stretchStart = cut.next;
  }
  return refined;
}

/**
 * All cut candidates in order: the clean ones (paragraph, line and sentence ends); word cuts only inside a sentence
 * longer than a chunk; hard cuts only inside a word longer than that; never inside what `protection` keeps whole.
 */
export function cutCandidates(
  text: string,
  start: number,
  end: number,
  limit: number,
  protectedRanges: ProtectedRanges,
  protection: Protection = "all",
): Cut[] {
  const whole = unbreakable(text, protectedRanges, limit, protection);
  const allowed = [...whitespaceCuts(text, start, end, protectedRanges.code), ...cjkCuts(text, start, end)]
    .filter((cut) => !inside(whole, cut.end))
    .sort((a, b) => a.end - b.end);
  const clean = allowed.filter((cut) => cut.kind !== "word");
  const inWord = (from: number, to: number) => hardCuts(text, from, to, limit, whole);
  const inSentence = (from: number, to: number) =>
    refine(
      allowed.filter((cut) => cut.kind === "word" && cut.end > from && cut.end < to),
      from,
      to,
      limit,
      inWord,
    );
  return refine(clean, start, end, limit, inSentence);
}
