import {
  type Cut,
  type CutKind,
  cutCandidates,
  isWhitespace,
  type ProtectedRanges,
  type Protection,
} from "./cut-candidates.ts";
import { SegmentMeter } from "./segments.ts";

/** Twilio rejects a message body longer than this many characters (UTF-16 code units, as JS counts length). */
export const MAX_TWILIO_BODY_CHARS = 1600;

export interface ChunkOptions {
  /** Upper bound on each chunk's length (UTF-16 code units); capped at MAX_TWILIO_BODY_CHARS. */
  chunkLimit?: number;
}

/**
 * What one more text must save, in billed segments, to be worth sending: every text is another buzz on somebody's
 * phone, is read on its own and may arrive out of order, so a reply is split beyond what the 1,600-character limit
 * needs only when that saves more than this. Two: a lone emoji that turns a nine-segment GSM-7 reply into
 * twenty-three UCS-2 segments is sent apart; a split that saves one or two segments is not. Measured on the repo's
 * reply corpus (npm run bench): 1 sends 73 texts for 298 segments, 2 sends 67 for 309, 3 sends 66 for 312, 4 sends
 * 65 for 316; OpenClaw's pipeline sends 65 texts and bills 369 with Smart Encoding. 2 is the lowest value that keeps
 * texts within 12% of OpenClaw's, with room for corpora that split differently.
 */
export const EXTRA_TEXT_COST_SEGMENTS = 2;

/**
 * What a cut inside a paragraph or a line costs beyond the segments it bills: a reader takes a text that ends at a
 * paragraph or line end as a whole, one that ends mid-paragraph (at a sentence end, or between words inside a
 * sentence longer than a body) as cut off. So such a cut is taken over a paragraph or line end only when it saves
 * more than this many segments. No reply in the bench corpus has one.
 */
export const MID_PARAGRAPH_CUT_COST_SEGMENTS = 2;

function cutCost(kind: CutKind): number {
  return kind === "paragraph" || kind === "line" ? 0 : MID_PARAGRAPH_CUT_COST_SEGMENTS;
}

/*
 * Splitting a reply is a shortest-path problem over the places it may be cut (cut-candidates.ts: paragraph, line and
 * sentence ends; between words only inside a sentence longer than a body; inside a word only inside a word longer
 * than that). A dynamic programme over the candidates picks the split with, in order: the lowest cost, then the
 * fewest chunks, then the smallest total penalty (paragraph < line < sentence < word < hard). Cost = billed segments
 * (each chunk priced exactly, in its own encoding) + EXTRA_TEXT_COST_SEGMENTS per chunk + MID_PARAGRAPH_CUT_COST_SEGMENTS
 * per cut that does not end a paragraph or line. So a chunk of 10 full GSM-7
 * parts (1530 septets) beats one of 1600 characters that bills 11 when the cut is free, and an emoji paragraph goes
 * apart only when that keeps enough of the rest GSM-7. The same input always gives the same chunks: the sender
 * resumes by chunk index after a retry.
 */

function resolveLimit(chunkLimit: number | undefined): number {
  if (chunkLimit === undefined) return MAX_TWILIO_BODY_CHARS;
  // Two units is the least that can carry any character (a surrogate pair) without splitting it.
  if (!Number.isFinite(chunkLimit) || chunkLimit < 2) {
    throw new RangeError(`chunkLimit must be a number >= 2, got ${chunkLimit}`);
  }
  return Math.min(MAX_TWILIO_BODY_CHARS, Math.floor(chunkLimit));
}

/** How good a way to reach a node is: compared by cost, then chunks, then penalty (lower is better). */
interface Reach {
  node: number;
  cost: number;
  chunks: number;
  penalty: number;
}

function compareReach(a: Reach, b: Reach): number {
  return a.cost - b.cost || a.chunks - b.chunks || a.penalty - b.penalty;
}

/** A binary min-heap of reaches, for "is some node further on already reached at least as cheaply?". */
class ReachHeap {
  private readonly items: Reach[] = [];

  peek(): Reach | undefined {
    return this.items[0];
  }

  push(reach: Reach): void {
    const items = this.items;
    items.push(reach);
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = items[parent];
      if (above === undefined || compareReach(above, reach) <= 0) break;
      items[index] = above;
      index = parent;
    }
    items[index] = reach;
  }

  pop(): void {
    const items = this.items;
    const last = items.pop();
    if (last === undefined || items.length === 0) return;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      let smallestItem = last;
      const leftItem = items[left];
      if (leftItem !== undefined && compareReach(leftItem, smallestItem) < 0) {
        smallest = left;
        smallestItem = leftItem;
      }
      const rightItem = items[right];
      if (rightItem !== undefined && compareReach(rightItem, smallestItem) < 0) {
        smallest = right;
        smallestItem = rightItem;
      }
      if (smallest === index) break;
      items[index] = smallestItem;
      index = smallest;
    }
    items[index] = last;
  }
}

/**
 * The cheapest way from node 0 to the last node, as the list of node indices it passes through. Two dominance
 * rules keep this fast on dense candidates (a hard cut at every character) without changing the optimum:
 * - from one start, a cut is skipped when the next cut costs the same segments with no worse a penalty: ending
 *   later leaves less text for the same price;
 * - a start is skipped when a node further on is already reached at least as cheaply: any chunk from here can
 *   start there instead and bill no more.
 */
function cheapestPath(text: string, nodes: readonly Cut[], limit: number): number[] | undefined {
  const count = nodes.length;
  const best: (Reach | undefined)[] = new Array(count).fill(undefined);
  const previous = new Int32Array(count).fill(-1);
  const ahead = new ReachHeap();
  best[0] = { node: 0, cost: 0, chunks: 0, penalty: 0 };

  const relax = (from: number, to: number, reached: Reach, segments: number, penalty: number): void => {
    const reach = {
      node: to,
      cost: reached.cost + segments + EXTRA_TEXT_COST_SEGMENTS,
      chunks: reached.chunks + 1,
      penalty,
    };
    const current = best[to];
    if (current !== undefined && compareReach(reach, current) >= 0) return;
    best[to] = reach;
    previous[to] = from;
    ahead.push(reach);
  };

  for (let from = 0; from < count - 1; from += 1) {
    const reached = best[from];
    const origin = nodes[from];
    if (reached === undefined || origin === undefined) continue;
    let top = ahead.peek();
    while (top !== undefined && (top.node <= from || best[top.node] !== top)) {
      ahead.pop();
      top = ahead.peek();
    }
    if (top !== undefined && compareReach(top, reached) <= 0) continue;

    const chunkStart = origin.next;
    const meter = new SegmentMeter();
    let position = chunkStart;
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
      const segments = meter.segments + cutCost(target.kind);
      if (pendingTo >= 0 && !(segments === pendingSegments && target.penalty <= pendingPenalty)) {
        relax(from, pendingTo, reached, pendingSegments, reached.penalty + pendingPenalty);
      }
      pendingTo = to;
      pendingSegments = segments;
      pendingPenalty = target.penalty;
    }
    if (pendingTo >= 0) relax(from, pendingTo, reached, pendingSegments, reached.penalty + pendingPenalty);
  }

  // Unreachable only when stretches that must stay whole overlap into one longer than a chunk: the caller relaxes.
  if (best[count - 1] === undefined) return undefined;
  const path: number[] = [];
  for (let at = count - 1; at > 0; at = previous[at] ?? 0) path.push(at);
  path.push(0);
  return path.reverse();
}

/** The chunks of a text, and the kind of each cut between two of them. */
export interface Chunked {
  chunks: string[];
  cuts: CutKind[];
}

const NOTHING_PROTECTED: ProtectedRanges = { code: [], keep: [] };

/**
 * Splits text into SMS bodies of at most `chunkLimit` (default and cap: 1600) UTF-16 code units each (see the note
 * above); chunks are in order, never empty, trimmed (except a line of code keeps its indentation), and never cut
 * inside a URL, a link, a list marker, a line of code, a number, a word or a surrogate pair while the text allows.
 */
export function chunkForSms(text: string, options: ChunkOptions = {}, ranges = NOTHING_PROTECTED): string[] {
  return chunkWithCuts(text, options, ranges).chunks;
}

export function chunkWithCuts(text: string, options: ChunkOptions = {}, ranges = NOTHING_PROTECTED): Chunked {
  const limit = resolveLimit(options.chunkLimit);
  let start = 0;
  while (start < text.length && isWhitespace(text.charAt(start))) start += 1;
  let end = text.length;
  while (end > start && isWhitespace(text.charAt(end - 1))) end -= 1;
  if (start === end) return { chunks: [], cuts: [] };

  // Node 0 is the start of the text; the last node is its end; the ones between are the cut candidates.
  const nodesFor = (protection: Protection): Cut[] => [
    { end: start, next: start, kind: "paragraph", penalty: 0 },
    ...cutCandidates(text, start, end, limit, ranges, protection),
    { end, next: end, kind: "paragraph", penalty: 0 },
  ];
  // Everything that fits stays whole; failing that, only stretches that overlap into one too long lose it.
  let nodes: Cut[] = [];
  let path: number[] | undefined;
  for (const protection of ["all", "fitting", "none"] as const) {
    nodes = nodesFor(protection);
    path = cheapestPath(text, nodes, limit);
    if (path) break;
  }
  path ??= [];
  const chunks: string[] = [];
  const cuts: CutKind[] = [];
  for (let step = 1; step < path.length; step += 1) {
    const origin = nodes[path[step - 1] ?? 0];
    const target = nodes[path[step] ?? 0];
    if (origin === undefined || target === undefined) continue;
    chunks.push(text.slice(origin.next, target.end));
    if (step < path.length - 1) cuts.push(target.kind);
  }
  return { chunks, cuts };
}
