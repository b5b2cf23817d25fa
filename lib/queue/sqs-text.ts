/**
 * What an SQS message may carry. SQS accepts #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF and refuses
 * the rest (U+FFFE, U+FFFF, lone surrogates, most control characters); fauxqs 1.9, the local stand-in, also
 * refuses everything above U+FFFF. Queue bodies are JSON, so every such character can travel as a `\uXXXX` escape
 * that any JSON parser reads back unchanged: one encoding that both accept, and the body means the same thing.
 */

/** After JSON.stringify only paired surrogates (astral characters) and the two noncharacters remain to escape. */
const NOT_PLAIN_IN_SQS = /[\uD800-\uDFFF\uFFFE\uFFFF]/g;

/** Characters an SQS string attribute may not hold in either SQS, astral ones included (see above). */
const NOT_ALLOWED_IN_ATTRIBUTE = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/g;

/** JSON for a queue body that real SQS and fauxqs both accept, whatever Unicode the value holds. */
export function toQueueBody(value: unknown): string {
  // JSON.stringify already escapes control characters and lone surrogates; the rest is escaped code unit by code unit.
  return JSON.stringify(value).replace(NOT_PLAIN_IN_SQS, escapeCodeUnit);
}

/** A message attribute value (not JSON, so nothing can be escaped): what SQS refuses becomes U+FFFD. */
export function toAttributeText(text: string): string {
  return text.replace(NOT_ALLOWED_IN_ATTRIBUTE, "\uFFFD");
}

function escapeCodeUnit(unit: string): string {
  return `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`;
}
