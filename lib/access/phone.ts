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
  let value = input.trim();
  for (const prefix of TARGET_PREFIXES) {
    if (value.toLowerCase().startsWith(prefix)) {
      value = value.slice(prefix.length).trim();
      break;
    }
  }
  return E164.test(value) ? value : null;
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
