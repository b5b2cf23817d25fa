// Where a long text may be cut into SMS bodies, and how bad each place is: the chunker's candidates.

export const PENALTY = { paragraph: 0, line: 1, sentence: 2, word: 3, hard: 10 } as const;

export interface Cut {
  /** Where the chunk before the cut ends (exclusive). */
  end: number;
  /** Where the chunk after the cut starts; the whitespace in between is dropped. */
  next: number;
  penalty: number;
}

const SENTENCE_END = new Set([".", "!", "?", "\u2026", "\u3002", "\uFF01", "\uFF1F"]);
const CLOSING = new Set(['"', "'", ")", "]", "}", "\u201D", "\u2019", "\u00BB", "\u300D", "\u300F", "\uFF09"]);
// Japanese line-breaking rules: never start a chunk with closing punctuation, never end one with an opening bracket.
const NO_LINE_START = new Set([..."、。，．・：；？！ー」』）】〕〉》ぁぃぅぇぉっゃゅょァィゥェォッャュョ"]);
const NO_LINE_END = new Set([..."「『（【〔〈《"]);
// Anchored at a word start with a bounded scheme, so a long run of letters cannot make the search quadratic.
const URL_RE = /\b(?:[a-z][a-z0-9+.-]{0,31}:\/\/|www\.)\S+/giu;

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
  return SENTENCE_END.has(text.charAt(index));
}

/** Cuts at whitespace runs, ranked by what the run separates. */
function whitespaceCuts(text: string, start: number, end: number): Cut[] {
  const cuts: Cut[] = [];
  let index = start;
  while (index < end) {
    if (!isWhitespace(text.charAt(index))) {
      index += 1;
      continue;
    }
    const runStart = index;
    let newlines = 0;
    while (index < end && isWhitespace(text.charAt(index))) {
      if (text.charAt(index) === "\n") newlines += 1;
      index += 1;
    }
    const penalty =
      newlines >= 2
        ? PENALTY.paragraph
        : newlines === 1
          ? PENALTY.line
          : endsSentence(text, runStart)
            ? PENALTY.sentence
            : PENALTY.word;
    cuts.push({ end: runStart, next: index, penalty });
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
    cuts.push({ end: index, next: index, penalty: sentence ? PENALTY.sentence : PENALTY.word });
  }
  return cuts;
}

interface Span {
  start: number;
  end: number;
}

function urlSpans(text: string): Span[] {
  return Array.from(text.matchAll(URL_RE), (match) => ({ start: match.index, end: match.index + match[0].length }));
}

function insideAny(spans: readonly Span[], position: number): boolean {
  return spans.some((span) => span.start < position && position < span.end);
}

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
 * Cut points inside a run of text with no allowed cut that is longer than a chunk: between grapheme clusters (so
 * never inside a surrogate pair or an emoji sequence), or between code points inside a cluster that alone is too
 * long. URLs that fit in a chunk stay whole.
 */
function hardCuts(text: string, from: number, to: number, limit: number, urls: readonly Span[]): Cut[] {
  const cuts: Cut[] = [];
  const keepWhole = urls.filter((span) => span.end - span.start <= limit && span.end > from && span.start < to);
  for (const cluster of clusters(text, from, to)) {
    if (cluster.start > from && !insideAny(keepWhole, cluster.start)) {
      cuts.push({ end: cluster.start, next: cluster.start, penalty: PENALTY.hard });
    }
    if (cluster.length > limit) {
      let offset = 0;
      for (const char of text.slice(cluster.start, cluster.start + cluster.length)) {
        if (offset > 0) cuts.push({ end: cluster.start + offset, next: cluster.start + offset, penalty: PENALTY.hard });
        offset += char.length;
      }
    }
  }
  return cuts;
}

/** All cut candidates in order, with hard cuts added wherever a stretch between cuts is longer than a chunk. */
export function cutCandidates(text: string, start: number, end: number, limit: number): Cut[] {
  const urls = urlSpans(text);
  const soft = [...whitespaceCuts(text, start, end), ...cjkCuts(text, start, end)]
    .filter((cut) => !insideAny(urls, cut.end))
    .sort((a, b) => a.end - b.end);
  const cuts: Cut[] = [];
  let stretchStart = start;
  for (const cut of [...soft, { end, next: end, penalty: 0 }]) {
    if (cut.end - stretchStart > limit) cuts.push(...hardCuts(text, stretchStart, cut.end, limit, urls));
    if (cut.end < end) cuts.push(cut);
    stretchStart = cut.next;
  }
  return cuts;
}
