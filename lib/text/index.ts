import { chunkWithCuts } from "./chunk.ts";
import type { CutKind } from "./cut-candidates.ts";
import { markdownToPlainText, renderMarkdown } from "./markdown-to-text.ts";
import { normaliseForSms } from "./normalise.ts";
import { stripReasoning } from "./strip-reasoning.ts";

export { type ChunkOptions, chunkForSms, EXTRA_TEXT_COST_SEGMENTS, MAX_TWILIO_BODY_CHARS } from "./chunk.ts";
export type { CutKind } from "./cut-candidates.ts";
export { isGsm7 } from "./gsm7.ts";
export { markdownToPlainText, type PlainTextOptions } from "./markdown-to-text.ts";
export { normaliseForSms } from "./normalise.ts";
export { countSegments, type SegmentCount, type SmsEncoding } from "./segments.ts";
export { stripReasoning } from "./strip-reasoning.ts";

/**
 * An agent's markdown reply as the plain text an SMS carries: reasoning blocks removed, prose normalised to GSM-7
 * where that is faithful, code kept byte for byte (a curly quote or a tab in code stays, even though it makes the
 * message UCS-2).
 */
export function markdownToSmsText(markdown: string): string {
  return markdownToPlainText(stripReasoning(markdown).text, { prose: normaliseForSms });
}

export interface RenderedReply {
  /** The SMS bodies to send, in order; empty when the reply has no visible text. */
  bodies: string[];
  /** How each pair of consecutive bodies was cut apart. */
  cuts: CutKind[];
  /** Reasoning blocks or HTML comments were removed (with no bodies: the reply held nothing else). */
  reasoningRemoved: boolean;
}

/**
 * The outbound text pipeline: an agent's markdown reply -> without reasoning -> plain text with GSM-7-friendly
 * prose -> the SMS bodies to send, cut where a reader expects a break.
 */
export function renderReply(markdown: string, options: { chunkLimit?: number } = {}): RenderedReply {
  const stripped = stripReasoning(markdown);
  const rendered = renderMarkdown(stripped.text, { prose: normaliseForSms });
  const { chunks, cuts } = chunkWithCuts(rendered.text, options, rendered);
  return { bodies: chunks, cuts, reasoningRemoved: stripped.removed };
}

/** The SMS bodies of a reply, in order (empty when it has no visible text). */
export function renderSmsBodies(markdown: string, options: { chunkLimit?: number } = {}): string[] {
  return renderReply(markdown, options).bodies;
}
