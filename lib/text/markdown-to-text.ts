import { getDefaults, Lexer, type MarkedToken, type Token, type Tokens } from "marked";
import { type MarkedRanges, markCode, markKeep, readMarks, splitCodeMarks, stripCodeMarks } from "./code-marks.ts";
import { decodeHtmlEntities } from "./html-entities.ts";

/*
 * Agents answer in markdown; a phone shows markup literally. The marked lexer builds the token tree (so code, links
 * and emphasis are told apart the way a markdown renderer would) and this file walks it to plain text:
 * headings become their text, emphasis markers go, lists keep one item per line with "- " (the "•" bullet is not
 * GSM-7) or "1. ", links become "label (url)", code keeps its content, tables become "Header: value" lines, images
 * become "alt (url)", HTML tags are dropped, blockquotes keep their text without a prefix.
 *
 * Code (inline or block) is kept byte for byte, backticks and blank lines included: only the prose around it is
 * tidied and passed through the `prose` option, so a step like GSM-7 normalisation cannot change what a reader
 * would copy and run. The only changes code can see are layout: a code block inside a list is indented with the
 * item, and whitespace at the two ends of the whole text goes (the chunker trims there anyway).
 */

const INDENT = "  ";

export interface PlainTextOptions {
  /** Applied to every stretch of prose (never to code) before it is tidied; e.g. GSM-7 normalisation. */
  prose?: (text: string) => string;
}

export function markdownToPlainText(markdown: string, options: PlainTextOptions = {}): string {
  return renderMarkdown(markdown, options).text;
}

/** The plain text, with where its code is and which stretches (links) must reach the phone in one text. */
export function renderMarkdown(markdown: string, options: PlainTextOptions = {}): MarkedRanges {
  const prose = options.prose ?? ((text: string) => text);
  // A fresh lexer with default options, so a marked.use() elsewhere in the process cannot change SMS output.
  const tokens = new Lexer({ ...getDefaults(), gfm: true }).lex(stripCodeMarks(markdown));
  const marked = splitCodeMarks(renderBlocks(tokens, 0))
    .map((part) => (part.code ? markCode(part.text) : tidy(prose(part.text))))
    .join("");
  return readMarks(marked);
}

function renderBlocks(tokens: readonly Token[], depth: number): string {
  let out = "";
  let previous: string | undefined;
  for (const token of tokens) {
    const text = renderBlock(token, depth);
    if (text.trim() === "") continue;
    // A heading stays glued to what it introduces; other blocks are paragraphs of their own.
    if (previous !== undefined) out += previous === "heading" ? "\n" : "\n\n";
    out += text;
    previous = token.type;
  }
  return out;
}

function renderBlock(token: Token, depth: number): string {
  const t = token as MarkedToken;
  switch (t.type) {
    case "paragraph":
    case "heading":
      return renderInline(t.tokens);
    case "text":
      return t.tokens ? renderInline(t.tokens) : decodeHtmlEntities(t.text);
    case "code":
      return markCode(t.text);
    case "blockquote":
      return renderBlocks(t.tokens, depth);
    case "list":
      return renderList(t, depth);
    case "table":
      return renderTable(t);
    case "space":
    case "hr":
    case "def":
    case "html":
      return "";
    default:
      return renderUnknown(token);
  }
}

function renderList(list: Tokens.List, depth: number): string {
  const indent = INDENT.repeat(depth);
  const start = typeof list.start === "number" ? list.start : 1;
  const lines: string[] = [];
  list.items.forEach((item, index) => {
    const checkbox = item.task ? (item.checked ? "[x] " : "[ ] ") : "";
    const marker = `${list.ordered ? `${start + index}.` : "-"} ${checkbox}`;
    const itemLines: string[] = [];
    let nested = "";
    for (const child of item.tokens) {
      if (child.type === "list") {
        nested += (nested ? "\n" : "") + renderList(child as Tokens.List, depth + 1);
        continue;
      }
      const text = renderBlock(child, depth + 1);
      if (text.trim() !== "") itemLines.push(...text.split("\n"));
    }
    // Continuation lines of an item (a second paragraph, code) line up under its text.
    const [first = "", ...rest] = itemLines;
    lines.push(`${indent}${marker}${first}`.trimEnd());
    for (const line of rest) lines.push(line === "" ? "" : `${indent}${INDENT}${line}`);
    if (nested) lines.push(nested);
  });
  return lines.join("\n");
}

function renderTable(table: Tokens.Table): string {
  const headers = table.header.map((cell) => renderInline(cell.tokens).trim());
  if (table.rows.length === 0) return headers.filter(Boolean).join(", ");
  return table.rows
    .map((row) =>
      row
        .map((cell, column) => {
          const value = renderInline(cell.tokens).trim();
          const header = headers[column];
          if (!value) return "";
          return header ? `${header}: ${value}` : value;
        })
        .filter(Boolean)
        .join(", "),
    )
    .filter(Boolean)
    .join("\n");
}

function renderInline(tokens: readonly Token[]): string {
  let out = "";
  for (const token of tokens) out += renderInlineToken(token);
  return out;
}

function renderInlineToken(token: Token): string {
  const t = token as MarkedToken;
  switch (t.type) {
    case "text":
      return t.tokens ? renderInline(t.tokens) : decodeHtmlEntities(t.text);
    case "escape":
      // The lexer already resolved the backslash escape to the literal character.
      return t.text;
    case "strong":
    case "em":
    case "del":
      return renderInline(t.tokens);
    case "codespan":
      return markCode(t.text);
    case "br":
      return "\n";
    case "link":
      return formatLink(renderInline(t.tokens), decodeHtmlEntities(t.href));
    case "image":
      return formatImage(decodeHtmlEntities(t.text), decodeHtmlEntities(t.href));
    case "html":
      // Tags go; a <br> still means a new line.
      return /^<br\s*\/?>$/i.test(t.text.trim()) ? "\n" : "";
    default:
      return renderUnknown(token);
  }
}

/** Tokens from a marked extension: keep their text rather than lose it. */
function renderUnknown(token: Token): string {
  const generic = token as Tokens.Generic;
  if (Array.isArray(generic.tokens)) return renderInline(generic.tokens);
  return typeof generic.text === "string" ? decodeHtmlEntities(generic.text) : "";
}

/** What a reader needs of an address: mailto: and tel: are dropped because phones link bare addresses anyway. */
function displayUrl(href: string): string {
  return href.replace(/^(?:mailto|tel):/i, "");
}

/** "https://www.example.com/" and "example.com" name the same place for a reader. */
function looseUrl(url: string): string {
  return url
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:(?:\/\/)?/, "")
    .replace(/^www\./, "")
    .replace(/\/$/, "");
}

function formatLink(label: string, href: string): string {
  const url = href.trim();
  // Compared as a reader sees it: a label in backticks names the same address.
  const text = stripCodeMarks(label).trim();
  // An in-page anchor leads nowhere from an SMS.
  if (url === "" || url.startsWith("#")) return label;
  // A bare "www." address: marked adds "http://" to the href; show it as the author wrote it.
  if (url === `http://${text}`) return text;
  const shown = displayUrl(url);
  if (text === "" || text === url || text === shown || looseUrl(text) === looseUrl(url)) return shown;
  return markKeep(`${label} (${shown})`);
}

function formatImage(alt: string, href: string): string {
  const url = href.trim();
  const text = alt.trim();
  if (url === "") return text;
  if (text === "" || text === url) return url;
  return markKeep(`${text} (${url})`);
}

/** In prose, spaces at the end of a line go and blank lines collapse to one (the whole text is trimmed after). */
function tidy(prose: string): string {
  return prose.replace(/[^\S\n]+(?=\n)/g, "").replace(/\n{3,}/g, "\n\n");
}
