import { chunkForSms } from "./chunk.ts";
import { markdownToPlainText } from "./markdown-to-text.ts";
import { normaliseForSms } from "./normalise.ts";

export { type ChunkOptions, chunkForSms, MAX_TWILIO_BODY_CHARS } from "./chunk.ts";
export { isGsm7 } from "./gsm7.ts";
export { markdownToPlainText } from "./markdown-to-text.ts";
export { normaliseForSms } from "./normalise.ts";
export { countSegments, type SegmentCount, type SmsEncoding } from "./segments.ts";

/**
 * The outbound text pipeline: an agent's markdown reply -> plain text -> GSM-7-friendly normalisation -> the SMS
 * bodies to send, in order (empty when the reply has no visible text).
 */
export function renderSmsBodies(markdown: string, options: { chunkLimit?: number } = {}): string[] {
  return chunkForSms(normaliseForSms(markdownToPlainText(markdown)), options);
}
