/** E.164: a plus, a non-zero country digit, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{1,14}$/;

/** Channel prefixes a user may write before a number (the seed accepts both and normalises them away). */
const TARGET_PREFIXES = ["twilio-sms:", "sms:"] as const;

export function isE164(value: string): boolean {
  return E164.test(value);
}

/**
 * Normalises `+E164`, `sms:+E164` or `twilio-sms:+E164` to bare E.164; anything else is null so the caller can
 * name the offending entry in its own error.
 */
export function normalisePhoneTarget(input: string): string | null {
  const value = withoutPrefix(input);
  return E164.test(value) ? value : null;
}

/** What people write between the digits of a number: spaces, dashes, dots and brackets around an area code. */
const NUMBER_SEPARATORS = /[\s().-]/g;

/**
 * A number as written in a config file: like normalisePhoneTarget, and, as the seed does, with separators dropped
 * (`+1 (555) 123-4567`, `sms:+44 20 7946 0958`). The leading + stays required: without it a national number
 * would read as another country's.
 */
export function normaliseWrittenPhone(input: string): string | null {
  const value = withoutPrefix(input).replace(NUMBER_SEPARATORS, "");
  return E164.test(value) ? value : null;
}

function withoutPrefix(input: string): string {
  const value = input.trim();
  const prefix = TARGET_PREFIXES.find((candidate) => value.toLowerCase().startsWith(candidate));
  return prefix === undefined ? value : value.slice(prefix.length).trim();
}

/**
 * Keeps the country code and the last four digits: enough to tell senders apart in logs, not to dial them. A
 * channel prefix (`rcs:`) stays visible.
 */
export function maskPhone(address: string): string {
  const prefix = /^rcs:/i.test(address) ? "rcs:" : "";
  const phone = address.slice(prefix.length);
  if (!E164.test(phone)) return "<invalid-number>";
  const visibleHead = phone.slice(0, Math.min(4, phone.length - 4));
  return `${prefix}${visibleHead}${"*".repeat(phone.length - visibleHead.length - 4)}${phone.slice(-4)}`;
}
