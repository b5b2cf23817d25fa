import { normalisePhoneTarget } from "../access/phone.ts";
import { quoted } from "./quoted.ts";

/** The target spellings the channel accepts, as shown in errors and in `capabilities`. */
export const TARGET_FORMS = ["sms:+E164", "twilio-sms:+E164", "+E164"] as const;

export type TargetParse = { ok: true; phone: string } | { ok: false; problem: string };

/** `sms:+15551234567`, `twilio-sms:+15551234567` or `+15551234567` -> `+15551234567`. */
export function parseSmsTarget(input: string): TargetParse {
  const phone = normalisePhoneTarget(input);
  if (phone !== null) return { ok: true, phone };
  return { ok: false, problem: `expected ${TARGET_FORMS.join(", ")} (e.g. sms:+15551234567), got ${quoted(input)}` };
}

/** A phone number field: the same spellings, worded for a number rather than a message target. */
export function parsePhoneField(input: string): TargetParse {
  const phone = normalisePhoneTarget(input);
  if (phone !== null) return { ok: true, phone };
  return {
    ok: false,
    problem: `expected an E.164 number such as +15551234567 (sms: / twilio-sms: prefixes allowed), got ${quoted(input)}`,
  };
}
