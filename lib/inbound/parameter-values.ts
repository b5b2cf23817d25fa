import type { WebhookForm } from "./webhook-form.ts";
import { quoted, WebhookInputError } from "./webhook-input-error.ts";

/**
 * The formats of Twilio's structured parameters. Checked whether the channel reads them or not: a re-cut that moves
 * text across one of them leaves letters where Twilio sends digits or a sid, so it is refused here instead of
 * passing as an odd but harmless value. Free-text parameters (Body, FromCity, ProfileName ...) have no format.
 */
const FORMATS: Readonly<Record<string, readonly [RegExp, string]>> = {
  AccountSid: [/^AC[0-9a-fA-F]{32}$/, "AC followed by 32 hex"],
  MessagingServiceSid: [/^MG[0-9a-fA-F]{32}$/, "MG followed by 32 hex"],
  NumMedia: [/^\d{1,3}$/, "a count"],
  NumSegments: [/^\d{1,3}$/, "a count"],
  ReferralNumMedia: [/^\d{1,3}$/, "a count"],
  SmsStatus: [/^[a-z][a-z_]{0,31}$/, "a Twilio message status"],
  MessageStatus: [/^[a-z][a-z_]{0,31}$/, "a Twilio message status"],
  ErrorCode: [/^\d{0,6}$/, "a Twilio error code (digits)"],
  OptOutType: [/^[A-Z]{1,16}$/, "a keyword type such as STOP"],
};

export function checkParameterValues(form: WebhookForm): void {
  for (const [name, value] of form.pairs) {
    const format = Object.hasOwn(FORMATS, name) ? FORMATS[name] : undefined;
    if (format && !format[0].test(value)) {
      throw new WebhookInputError(name, `${name}: expected ${format[1]}, got ${quoted(value)}`);
    }
  }
}
