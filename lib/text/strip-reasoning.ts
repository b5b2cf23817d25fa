import type { TextRange } from "./code-marks.ts";
import { type CodeRange, codeRanges, inCode, overlapsCode } from "./code-spans.ts";

/*
 * Reasoning models and agent frameworks leave scaffolding in their answers that is not meant for the reader:
 * `<think>…</think>` (DeepSeek R1, Qwen, models served by Ollama or vLLM without a reasoning parser), `<thinking>`,
 * `<reasoning>`, `<thought>`, `<antthinking>`, and HTML comments. On a phone every one of them is text the person
 * pays for and reads. They are removed before the markdown is rendered, whatever the agent, except inside code,
 * where a reply that explains these tags shows them as written.
 */

const TAG_NAMES = "think|thinking|thought|reasoning|antthinking";
const TAG_RE = new RegExp(`<(/?)(${TAG_NAMES})(\\s[^<>]*)?>`, "giu");
const COMMENT_RE = /<!--[\s\S]*?-->/gu;
const FENCE_START_RE = /^[ \t]*(?:`{3,}|~{3,})/u;
/** Removing one span can bring two halves of a tag together; a few rounds settle any reply. */
const MAX_ROUNDS = 4;

export interface StrippedReply {
  text: string;
  /** True when something was removed: a reply left empty by this held nothing but reasoning. */
  removed: boolean;
}

interface Token {
  kind: "open" | "close" | "self-closing" | "comment";
  at: number;
  end: number;
  name: string;
}

/** Every reasoning tag and HTML comment at or after `from`, in order, code or not. */
function tokensFrom(text: string, from: number): Token[] {
  const found: Token[] = [];
  TAG_RE.lastIndex = from;
  for (const match of text.matchAll(TAG_RE)) {
    if (match.index < from) continue;
    const selfClosing = (match[3] ?? "").trimEnd().endsWith("/");
    const kind = match[1] ? "close" : selfClosing ? "self-closing" : "open";
    found.push({ kind, at: match.index, end: match.index + match[0].length, name: (match[2] ?? "").toLowerCase() });
  }
  for (const match of text.slice(from).matchAll(COMMENT_RE)) {
    const at = from + match.index;
    found.push({ kind: "comment", at, end: at + match[0].length, name: "" });
  }
  return found.sort((a, b) => a.at - b.at);
}

/** Outside code: a tag that does not start in code, a comment that neither starts nor ends in it. */
function outsideCode(token: Token, code: readonly TextRange[]): boolean {
  return token.kind === "comment" ? !overlapsCode(code, token.at, token.end) : !inCode(code, token.at);
}

/**
 * Where the block `open` starts ends. Its inside is the model's scratch text, not markdown: a stray backtick there
 * means nothing, and only a whole fenced block (one that a later closing tag follows) hides a closing tag. Blocks
 * of one name nest when they balance; when they do not (reasoning that mentions `<think>` in prose), the first
 * closing tag ends the block.
 */
function closingTag(tokens: readonly Token[], open: Token, code: readonly CodeRange[]): Token | undefined {
  const same = tokens.filter((token) => token.at >= open.at && token.name === open.name);
  const closes = same.filter((token) => token.kind === "close");
  const hidden = (token: Token) =>
    code.some(
      (range) =>
        range.fenced &&
        range.start > open.end &&
        range.start <= token.at &&
        token.at < range.end &&
        closes.some((later) => later.at >= range.end),
    );
  const counted = same.filter((token) => !hidden(token));
  let depth = 0;
  for (const token of counted) {
    if (token.kind === "open") depth += 1;
    if (token.kind === "close") depth -= 1;
    if (depth === 0) return token;
  }
  return counted.find((token) => token.kind === "close");
}

/** A closing tag that ends its line: how reasoning ends when the chat template put the opening tag in the prompt. */
function endsLine(text: string, at: number): boolean {
  return /^[ \t]*(?:\r?\n|$)/u.test(text.slice(at, at + 80));
}

/**
 * The spans to remove, scanning once from the start:
 * - a block from its opening tag to its closing tag;
 * - a block left open with nothing visible before it (the model stopped mid-thought) to the end;
 * - a closing tag that comes before any other tag and ends its line (chat templates that put the opening tag in
 *   the prompt), with everything before it;
 * - HTML comments;
 * - any other tag on its own: the tag, not the text around it.
 * Tags inside a block are the model's scratch text and not read as markdown.
 */
function reasoningSpans(text: string): TextRange[] {
  const spans: TextRange[] = [];
  let visibleBefore = false;
  let sawTag = false;
  let from = 0;
  const tokens = tokensFrom(text, 0);
  let code = codeRanges(text);
  const see = (until: number) => {
    if (text.slice(from, until).trim() !== "") visibleBefore = true;
  };
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index];
    if (!token || token.at < from || !outsideCode(token, code)) continue;
    see(token.at);
    let span: TextRange = { start: token.at, end: token.end };
    if (token.kind === "close" && !sawTag && endsLine(text, token.end)) {
      span = { start: 0, end: token.end };
      visibleBefore = false;
    } else if (token.kind === "open") {
      const close = closingTag(tokens, token, code);
      if (close) span = { start: token.at, end: close.end };
      else if (!visibleBefore) span = { start: token.at, end: text.length };
    }
    if (token.kind !== "comment") sawTag = true;
    spans.push(span);
    // A backtick or fence inside a removed block must not pair with one after it, and a fence right after a block
    // starts a line once the block is gone: read the code after it afresh.
    const straddled = code.some((range) => range.start < span.end && span.end < range.end);
    if (straddled || FENCE_START_RE.test(text.slice(span.end, span.end + 16))) code = codeRangesFrom(text, span.end);
    from = span.end;
  }
  return spans;
}

function codeRangesFrom(text: string, from: number): CodeRange[] {
  return codeRanges(text.slice(from)).map((range) => ({ ...range, start: range.start + from, end: range.end + from }));
}

/** The reply without its reasoning blocks and HTML comments (code left alone). */
export function stripReasoning(reply: string): StrippedReply {
  let text = reply;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const next = removeSpans(text, reasoningSpans(text));
    if (next === text) break;
    text = next;
  }
  return { text, removed: text !== reply };
}

function removeSpans(reply: string, spans: readonly TextRange[]): string {
  if (spans.length === 0) return reply;
  let text = "";
  let at = 0;
  // A template's closing tag removes everything before it, comments found earlier included.
  for (const span of [...spans].sort((a, b) => a.start - b.start || b.end - a.end)) {
    if (span.start < at) {
      at = Math.max(at, span.end);
      continue;
    }
    text = joinAround(text, reply.slice(at, span.start));
    at = span.end;
  }
  return joinAround(text, reply.slice(at));
}

/**
 * Joins the text on either side of a removed span as a writer would have: one space where both sides had one
 * ("Answer: 42 <!-- x --> and"), and no emphasis left around nothing ("**<think>x</think>** Answer"). Underscores
 * are left alone: `__init__` is more likely than underscore emphasis.
 */
function joinAround(before: string, after: string): string {
  const emphasis = /(\*{1,3}|~~)$/u.exec(before)?.[1];
  if (emphasis && after.startsWith(emphasis) && !after.startsWith(emphasis + emphasis.charAt(0))) {
    return joinAround(before.slice(0, -emphasis.length), after.slice(emphasis.length));
  }
  if (/[ \t]$/u.test(before) && /^[ \t]/u.test(after)) return before + after.replace(/^[ \t]+/u, "");
  return before + after;
}
