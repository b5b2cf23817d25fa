/*
 * Reasoning models and agent frameworks leave scaffolding in their answers that is not meant for the reader:
 * `<think>…</think>` (DeepSeek R1, Qwen, models served by Ollama or vLLM without a reasoning parser), `<thinking>`,
 * `<reasoning>`, `<thought>`, `<antthinking>`, and HTML comments. On a phone every one of them is text the person
 * pays for and reads. They are removed before the markdown is rendered, whatever the agent, except inside code,
 * where a reply that explains these tags shows them as written.
 */

const TAG_NAMES = "think|thinking|thought|reasoning|antthinking";
const OPEN_RE = new RegExp(`<(${TAG_NAMES})(?:\\s[^<>]*)?>`, "giu");
const CLOSE_RE = new RegExp(`</(${TAG_NAMES})\\s*>`, "giu");
const COMMENT_RE = /<!--[\s\S]*?-->/gu;
const FENCE_RE = /^ {0,3}(`{3,}|~{3,})/u;

export interface StrippedReply {
  text: string;
  /** True when something was removed: a reply left empty by this held nothing but reasoning. */
  removed: boolean;
}

interface Range {
  start: number;
  end: number;
}

/** Fenced code blocks (to their closing fence, or the end) and inline code spans, in order. */
function codeRanges(text: string): Range[] {
  const ranges: Range[] = [];
  let offset = 0;
  let fence: { marker: string; start: number } | undefined;
  for (const line of text.split("\n")) {
    const opening = FENCE_RE.exec(line)?.[1];
    if (fence) {
      const closing = opening && opening[0] === fence.marker[0] && opening.length >= fence.marker.length;
      if (closing && line.trim() === opening) {
        ranges.push({ start: fence.start, end: offset + line.length });
        fence = undefined;
      }
    } else if (opening) {
      fence = { marker: opening, start: offset };
    } else {
      ranges.push(...inlineCodeRanges(line, offset));
    }
    offset += line.length + 1;
  }
  if (fence) ranges.push({ start: fence.start, end: text.length });
  return ranges;
}

/** `code` spans of one line: a run of backticks up to the next run of the same length. */
function inlineCodeRanges(line: string, offset: number): Range[] {
  const ranges: Range[] = [];
  const runs = Array.from(line.matchAll(/`+/gu), (match) => ({ at: match.index, length: match[0].length }));
  for (let index = 0; index < runs.length; index += 1) {
    const open = runs[index];
    if (!open) continue;
    const closeIndex = runs.findIndex((run, later) => later > index && run.length === open.length);
    const close = runs[closeIndex];
    if (!close) continue;
    ranges.push({ start: offset + open.at, end: offset + close.at + close.length });
    index = closeIndex;
  }
  return ranges;
}

function inCode(ranges: readonly Range[], position: number): boolean {
  return ranges.some((range) => range.start <= position && position < range.end);
}

interface Token {
  kind: "open" | "close" | "comment";
  at: number;
  end: number;
  name: string;
}

/** Reasoning tags outside code, and HTML comments that neither start nor end in code, in order. */
function tokens(text: string, code: readonly Range[]): Token[] {
  const found: Token[] = [];
  const add = (kind: Token["kind"], re: RegExp) => {
    for (const match of text.matchAll(re)) {
      const end = match.index + match[0].length;
      const touchesCode = kind === "comment" ? overlapsCode(code, match.index, end) : inCode(code, match.index);
      if (!touchesCode) found.push({ kind, at: match.index, end, name: (match[1] ?? "").toLowerCase() });
    }
  };
  add("open", OPEN_RE);
  add("close", CLOSE_RE);
  add("comment", COMMENT_RE);
  return found.sort((a, b) => a.at - b.at);
}

function overlapsCode(ranges: readonly Range[], start: number, end: number): boolean {
  return ranges.some((range) => range.start < end && start < range.end);
}

/** A closing tag that ends its line: how reasoning ends when the chat template put the opening tag in the prompt. */
function endsLine(text: string, at: number): boolean {
  return /^[ \t]*(?:\r?\n|$)/u.test(text.slice(at, at + 80));
}

/**
 * The spans to remove, in one pass over the tags and comments:
 * - a block from its opening tag to the closing tag of the same name at the same depth (blocks of one name nest);
 * - a block left open with nothing visible before it (the model stopped mid-thought) to the end;
 * - when the first tag is a closing one that ends its line (chat templates that put the opening tag in the prompt),
 *   everything before it;
 * - HTML comments;
 * - any other tag on its own: the tag, not the text around it.
 * Nothing the reader would see is left holding a reasoning tag, so stripping again changes nothing.
 */
function reasoningSpans(text: string, code: readonly Range[]): Range[] {
  const all = tokens(text, code);
  const spans: Range[] = [];
  let visibleBefore = false;
  let keptFrom = 0;
  const see = (until: number) => {
    if (text.slice(keptFrom, until).trim() !== "") visibleBefore = true;
  };
  for (let index = 0; index < all.length; index += 1) {
    const token = all[index];
    if (!token || token.at < keptFrom) continue;
    see(token.at);
    if (token.kind === "comment") {
      spans.push({ start: token.at, end: token.end });
    } else if (token.kind === "close") {
      const templateEnd = index === 0 && endsLine(text, token.end);
      spans.push({ start: templateEnd ? 0 : token.at, end: token.end });
      if (templateEnd) visibleBefore = false;
    } else {
      const close = matchingClose(all, index);
      if (close) {
        spans.push({ start: token.at, end: close.end });
      } else {
        spans.push({ start: token.at, end: visibleBefore ? token.end : text.length });
      }
    }
    keptFrom = spans[spans.length - 1]?.end ?? keptFrom;
  }
  return spans;
}

/** The closing tag that ends the block `all[index]` opens, counting nested blocks of the same name. */
function matchingClose(all: readonly Token[], index: number): Token | undefined {
  const open = all[index];
  let depth = 0;
  for (const token of all.slice(index)) {
    if (token.name !== open?.name || token.kind === "comment") continue;
    depth += token.kind === "open" ? 1 : -1;
    if (depth === 0) return token;
  }
  return undefined;
}

/** The reply without its reasoning blocks and HTML comments (code left alone). */
export function stripReasoning(reply: string): StrippedReply {
  const spans = reasoningSpans(reply, codeRanges(reply));
  if (spans.length === 0) return { text: reply, removed: false };
  let text = "";
  let at = 0;
  for (const span of spans) {
    if (span.start < at) continue;
    text = joinAround(text, reply.slice(at, span.start));
    at = span.end;
  }
  return { text: joinAround(text, reply.slice(at)), removed: true };
}

/**
 * Joins the text on either side of a removed span as a writer would have: one space where both sides had one
 * ("Answer: 42 <!-- x --> and"), and no emphasis left around nothing ("**<think>x</think>** Answer").
 */
function joinAround(before: string, after: string): string {
  const emphasis = /(\*{1,3}|_{1,3}|~~)$/u.exec(before)?.[1];
  if (emphasis && after.startsWith(emphasis) && !after.startsWith(emphasis + emphasis.charAt(0))) {
    return joinAround(before.slice(0, -emphasis.length), after.slice(emphasis.length));
  }
  if (/[ \t]$/u.test(before) && /^[ \t]/u.test(after)) return before + after.replace(/^[ \t]+/u, "");
  return before + after;
}
