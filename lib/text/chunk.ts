import { SegmentMeter } from "./segments.ts";

/** Twilio rejects a message body longer than this many characters (UTF-16 code units, as JS counts length). */
export const MAX_TWILIO_BODY_CHARS = 1600;

export interface ChunkOptions {
  /** Upper bound on each chunk's length (UTF-16 code units); capped at MAX_TWILIO_BODY_CHARS. */
  chunkLimit?: number;
}

/*
 * Splitting a long reply is a shortest-path problem over the places it may be cut. Every cut candidate carries a
 * penalty for how bad a place it is to cut (paragraph < line < sentence < word < hard cut inside a word). A dynamic
 * programme over the candidates picks the split with, in order: the lowest cost, then the fewest chunks, then the
 * smallest total penalty. So a paragraph break wins whenever it costs no more than a cut mid-paragraph, and a chunk
 * of 10 full GSM-7 parts (1530 septets) beats one of 1600 characters that bills 11.
 *
 * Cost = billed segments (each chunk priced exactly, in its own encoding) + number of chunks. Pricing every extra
 * chunk like a segment matters: on segments alone the cheapest split of any long text is a flood of separate
 * 160-character texts (a lone SMS holds 160 septets, a part of a long one only 153), arriving as many notifications
 * and possibly out of order. With the chunk price an extra chunk is only made when it saves at least two segments,
 * as when an emoji paragraph is sent apart so the rest of a long reply stays GSM-7 instead of UCS-2.
 *
 * A text that fits one body is never split, even where splitting off an emoji would bill less: the reader gets one
 * message. The same input always gives the same chunks: the sender resumes by chunk index after a retry.
 */

const PENALTY = { paragraph: 0, line: 1, sentence: 2, word: 3, hard: 10 } as const;

interface Cut {
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

function isWhitespace(char: string | undefined): boolean {
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

function resolveLimit(chunkLimit: number | undefined): number {
  if (chunkLimit === undefined) return MAX_TWILIO_BODY_CHARS;
  // Two units is the least that can carry any character (a surrogate pair) without splitting it.
  if (!Number.isFinite(chunkLimit) || chunkLimit < 2) {
    throw new RangeError(`chunkLimit must be a number >= 2, got ${chunkLimit}`);
  }
  return Math.min(MAX_TWILIO_BODY_CHARS, Math.floor(chunkLimit));
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
function cutCandidates(text: string, start: number, end: number, limit: number): Cut[] {
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

/**
 * Splits text into SMS bodies of at most `chunkLimit` (default and cap: 1600) UTF-16 code units each, billing the
 * fewest segments; chunks are in order, trimmed, never empty, never cut inside a URL or a surrogate pair.
 */
export function chunkForSms(text: string, options: ChunkOptions = {}): string[] {
  const limit = resolveLimit(options.chunkLimit);
  let start = 0;
  while (start < text.length && isWhitespace(text.charAt(start))) start += 1;
  let end = text.length;
  while (end > start && isWhitespace(text.charAt(end - 1))) end -= 1;
  if (start === end) return [];
  if (end - start <= limit) return [text.slice(start, end)];

  // Node 0 is the start of the text; the last node is its end; the ones between are the cut candidates.
  const nodes: Cut[] = [{ end: start, next: start, penalty: 0 }, ...cutCandidates(text, start, end, limit)];
  nodes.push({ end, next: end, penalty: 0 });
  // Best path to each node: its cost (segments + chunks), chunks, penalty and the node it came from. Typed arrays
  // and no allocation in the inner loop: long texts without spaces have a candidate at every character.
  const count = nodes.length;
  const bestCost = new Float64Array(count).fill(Number.POSITIVE_INFINITY);
  const bestChunks = new Float64Array(count);
  const bestPenalty = new Float64Array(count);
  const previous = new Int32Array(count).fill(-1);
  bestCost[0] = 0;

  const relax = (to: number, cost: number, chunks: number, penalty: number, from: number): void => {
    const currentCost = bestCost[to] ?? Number.POSITIVE_INFINITY;
    const currentChunks = bestChunks[to] ?? 0;
    if (
      cost < currentCost ||
      (cost === currentCost &&
        (chunks < currentChunks || (chunks === currentChunks && penalty < (bestPenalty[to] ?? 0))))
    ) {
      bestCost[to] = cost;
      bestChunks[to] = chunks;
      bestPenalty[to] = penalty;
      previous[to] = from;
    }
  };

  for (let from = 0; from < count - 1; from += 1) {
    const reachedCost = bestCost[from] ?? Number.POSITIVE_INFINITY;
    const origin = nodes[from];
    if (reachedCost === Number.POSITIVE_INFINITY || origin === undefined) continue;
    const chunks = (bestChunks[from] ?? 0) + 1;
    const reachedPenalty = bestPenalty[from] ?? 0;
    const chunkStart = origin.next;
    const meter = new SegmentMeter();
    let position = chunkStart;
    // A cut is dominated when the next cut is reachable in this same chunk for the same segments and no worse a
    // penalty: ending there leaves less text for the same price. Skipping dominated cuts keeps the answer optimal and
    // leaves most nodes unreached, which is what makes dense candidates (hard cuts, CJK) affordable.
    let pendingTo = -1;
    let pendingSegments = 0;
    let pendingPenalty = 0;
    for (let to = from + 1; to < count; to += 1) {
      const target = nodes[to];
      if (target === undefined || target.end - chunkStart > limit) break;
      while (position < target.end) {
        const codePoint = text.codePointAt(position) ?? 0;
        meter.push(codePoint);
        position += codePoint > 0xffff ? 2 : 1;
      }
      if (target.end <= chunkStart) continue;
      const segments = meter.segments;
      if (pendingTo >= 0 && !(segments === pendingSegments && target.penalty <= pendingPenalty)) {
        relax(pendingTo, reachedCost + pendingSegments + 1, chunks, reachedPenalty + pendingPenalty, from);
      }
      pendingTo = to;
      pendingSegments = segments;
      pendingPenalty = target.penalty;
    }
    if (pendingTo >= 0) {
      relax(pendingTo, reachedCost + pendingSegments + 1, chunks, reachedPenalty + pendingPenalty, from);
    }
  }

  const chunks: string[] = [];
  let at = count - 1;
  while (at > 0) {
    const from = previous[at] ?? -1;
    const target = nodes[at];
    const origin = nodes[from];
    // Unreachable by construction: hard cuts make every stretch fit, so every node has a path from the start.
    if (target === undefined || origin === undefined) throw new Error("no way to chunk text");
    chunks.push(text.slice(origin.next, target.end));
    at = from;
  }
  return chunks.reverse();
}
