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

/** Matches of `re` outside code, in order. */
function matchesOutsideCode(
  text: string,
  re: RegExp,
  code: readonly Range[],
): Array<{ at: number; end: number; name: string }> {
  return Array.from(text.matchAll(re))
    .filter((match) => !inCode(code, match.index))
    .map((match) => ({ at: match.index, end: match.index + match[0].length, name: (match[1] ?? "").toLowerCase() }));
}

/**
 * The spans to remove: each reasoning block from its opening tag to its closing tag; a block left open at the very
 * start (the model stopped mid-thought) to the end; a closing tag with no opening before it (chat templates that
 * put the opening tag in the prompt) together with everything before it; HTML comments. An opening tag elsewhere
 * that never closes is prose about the tag, and stays.
 */
function reasoningSpans(text: string, code: readonly Range[]): Range[] {
  const opens = matchesOutsideCode(text, OPEN_RE, code);
  const closes = matchesOutsideCode(text, CLOSE_RE, code);
  const spans: Range[] = [];
  const firstOpen = opens[0];
  const firstClose = closes[0];
  let from = 0;
  if (firstClose && (!firstOpen || firstClose.at < firstOpen.at)) {
    spans.push({ start: 0, end: firstClose.end });
    from = firstClose.end;
  }
  for (const open of opens) {
    if (open.at < from) continue;
    const close = closes.find((candidate) => candidate.at >= open.end && candidate.name === open.name);
    if (close) {
      spans.push({ start: open.at, end: close.end });
      from = close.end;
    } else if (text.slice(0, open.at).trim() === "") {
      spans.push({ start: open.at, end: text.length });
      from = text.length;
    }
  }
  for (const comment of matchesOutsideCode(text, COMMENT_RE, code)) {
    if (!spans.some((span) => span.start <= comment.at && comment.at < span.end)) {
      spans.push({ start: comment.at, end: comment.end });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** The reply without its reasoning blocks and HTML comments (code left alone). */
export function stripReasoning(reply: string): StrippedReply {
  const spans = reasoningSpans(reply, codeRanges(reply));
  if (spans.length === 0) return { text: reply, removed: false };
  let text = "";
  let at = 0;
  for (const span of spans) {
    if (span.start < at) continue;
    text += reply.slice(at, span.start);
    at = span.end;
  }
  text += reply.slice(at);
  return { text, removed: true };
}
