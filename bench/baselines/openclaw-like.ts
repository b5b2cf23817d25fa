import { getDefaults, Lexer, type MarkedToken, type Token, type Tokens } from "marked";
import { isGsm7 } from "../../lib/text/index.ts";
import { SMART_ENCODING } from "./smart-encoding.ts";

/*
 * The seed's documented pipeline, as OpenClaw's SMS channel runs it (extensions/sms/src/send.ts): markdown stripped
 * to plain text (lists "• " / "1. ", links "label (url)", code kept, tables as bullets), no typography
 * normalisation, then cut at the last newline, or else the last space, before 1,500 characters
 * (src/plugin-sdk/text-chunking.ts). With Twilio's Smart Encoding on, a body whose every character has a look-alike
 * in the table is sent as GSM-7 with them replaced; any other body goes out unchanged (Twilio's description).
 */

const CHUNK_LIMIT = 1500;

/** The plain text OpenClaw chunks. */
export function openClawText(markdown: string): string {
  return stripMarkdown(markdown)
    .replace(/\r\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export function openClawBodies(markdown: string, options: { smartEncoding?: boolean } = {}): string[] {
  const bodies = chunkAtLastBreak(openClawText(markdown), CHUNK_LIMIT);
  return options.smartEncoding ? bodies.map(smartEncode) : bodies;
}

/** The last newline in the window, or else its last space, or else a hard cut at the limit. */
export function chunkAtLastBreak(text: string, limit: number): string[] {
  const chunks: string[] = [];
  let remaining = text;
  while (remaining.length > limit) {
    const window = remaining.slice(0, limit);
    const lastNewline = window.lastIndexOf("\n");
    const lastSpace = window.lastIndexOf(" ");
    let breakAt = lastNewline > 0 ? lastNewline : lastSpace;
    if (breakAt <= 0) breakAt = limit;
    const chunk = remaining.slice(0, breakAt).trimEnd();
    if (chunk.length > 0) chunks.push(chunk);
    remaining = remaining.slice(breakAt).trimStart();
  }
  if (remaining.length > 0) chunks.push(remaining);
  return chunks;
}

function smartEncode(body: string): string {
  const replaced = Array.from(body, (char) => SMART_ENCODING[char] ?? char).join("");
  return isGsm7(replaced) ? replaced : body;
}

function stripMarkdown(markdown: string): string {
  const tokens = new Lexer({ ...getDefaults(), gfm: true }).lex(markdown);
  return blocks(tokens, 0);
}

function blocks(tokens: readonly Token[], depth: number): string {
  return tokens
    .map((token) => block(token, depth))
    .filter((text) => text.trim() !== "")
    .join("\n\n");
}

function block(token: Token, depth: number): string {
  const t = token as MarkedToken;
  switch (t.type) {
    case "paragraph":
    case "heading":
      return inline(t.tokens);
    case "text":
      return t.tokens ? inline(t.tokens) : t.text;
    case "code":
      return t.text;
    case "blockquote":
      return blocks(t.tokens, depth);
    case "list":
      return list(t, depth);
    case "table":
      return table(t);
    case "html":
      return t.text.trim();
    default:
      return "";
  }
}

function list(token: Tokens.List, depth: number): string {
  const start = typeof token.start === "number" ? token.start : 1;
  return token.items
    .map((item, index) => {
      const marker = token.ordered ? `${start + index}. ` : "• ";
      const checkbox = item.task ? (item.checked ? "[x] " : "[ ] ") : "";
      const parts = item.tokens.map((child) =>
        child.type === "list" ? list(child as Tokens.List, depth + 1) : block(child, depth + 1),
      );
      return `${"  ".repeat(depth)}${marker}${checkbox}${parts.filter(Boolean).join("\n")}`;
    })
    .join("\n");
}

/** Each row: its first cell on a line, then "• Header: value" for the others, then a blank line. */
function table(token: Tokens.Table): string {
  const headers = token.header.map((cell) => inline(cell.tokens));
  return token.rows
    .map((row) => {
      const [first, ...rest] = row.map((cell) => inline(cell.tokens));
      const lines = rest.map((value, column) => `• ${headers[column + 1] ?? ""}: ${value}`);
      return [first ?? "", ...lines].join("\n");
    })
    .join("\n\n");
}

function inline(tokens: readonly Token[]): string {
  return tokens.map(inlineToken).join("");
}

function inlineToken(token: Token): string {
  const t = token as MarkedToken;
  switch (t.type) {
    case "text":
      return t.tokens ? inline(t.tokens) : decode(t.text);
    case "escape":
    case "codespan":
      return decode(t.text);
    case "strong":
    case "em":
    case "del":
      return inline(t.tokens);
    case "br":
      return "\n";
    case "link": {
      const label = inline(t.tokens);
      return label === t.href ? t.href : `${label} (${t.href})`;
    }
    case "image":
      return t.text;
    case "html":
      return t.text;
    default:
      return "raw" in t ? String(t.raw) : "";
  }
}

function decode(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
