// GSM 03.38 default alphabet (3GPP TS 23.038), the only character set an SMS can use without falling back to UCS-2.

/** The 128-entry basic table in code order; the escape slot (0x1B) is left out because it is never sent alone. */
export const GSM7_BASIC_CHARS =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ" +
  " !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§" +
  "¿abcdefghijklmnopqrstuvwxyzäöñüà";

/** The extension table: each of these is sent as ESC + char, so it costs two septets. */
export const GSM7_EXTENSION_CHARS = "\f^{}\\[~]|€";

const basic = new Set<number>(Array.from(GSM7_BASIC_CHARS, (char) => char.codePointAt(0) ?? 0));
const extension = new Set<number>(Array.from(GSM7_EXTENSION_CHARS, (char) => char.codePointAt(0) ?? 0));

/** Septets one code point costs in GSM-7: 1 (basic), 2 (extension) or 0 when it has no GSM-7 form at all. */
export function gsm7Septets(codePoint: number): 0 | 1 | 2 {
  if (basic.has(codePoint)) return 1;
  if (extension.has(codePoint)) return 2;
  return 0;
}

/** True when every character of `text` is in the GSM-7 basic or extension table (the empty string is GSM-7). */
export function isGsm7(text: string): boolean {
  for (const char of text) {
    if (gsm7Septets(char.codePointAt(0) ?? 0) === 0) return false;
  }
  return true;
}
