import { chunkForSms } from "./chunk.ts";
import { markdownToPlainText } from "./markdown-to-text.ts";
import { normaliseForSms } from "./normalise.ts";

export { type ChunkOptions, chunkForSms, MAX_TWILIO_BODY_CHARS } from "./chunk.ts";
export { isGsm7 } from "./gsm7.ts";
export { markdownToPlainText, type PlainTextOptions } from "./markdown-to-text.ts";
export { normaliseForSms } from "./normalise.ts";
export { countSegments, type SegmentCount, type SmsEncoding } from "./segments.ts";

/**
 * An agent's markdown reply as the plain text an SMS carries: prose normalised to GSM-7 where that is faithful,
 * code kept byte for byte (a curly quote or a tab in code stays, even though it makes the message UCS-2).
 */
export function markdownToSmsText(markdown: string): string {
  return markdownToPlainText(markdown, { prose: normaliseForSms });
}

/**
 * The outbound text pipeline: an agent's markdown reply -> plain text with GSM-7-friendly prose -> the SMS bodies
 * to send, in order (empty when the reply has no visible text).
 */
export function renderSmsBodies(markdown: string, options: { chunkLimit?: number } = {}): string[] {
  return chunkForSms(markdownToSmsText(markdown), options);
}
