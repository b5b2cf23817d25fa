import type { WebhookForm } from "./webhook-form.ts";
import { quoted, WebhookInputError } from "./webhook-input-error.ts";

/**
 * Twilio's parameter names are PascalCase letters and digits (`MessageSid`, `MediaUrl0`, `AddOns`) and each is
 * sent once. Twilio adds parameters without notice, so unknown names of that shape are accepted; anything else is
 * not a Twilio webhook. A repeated name matters because Twilio's signature hashes a repeated value only once.
 */
const TWILIO_PARAMETER_NAME = /^[A-Z][A-Za-z0-9]{0,63}$/;

export function checkParameterNames(form: WebhookForm): void {
  for (const name of form.signedOrder()) {
    if (!TWILIO_PARAMETER_NAME.test(name)) {
      throw new WebhookInputError(
        "parameter-name",
        `parameter ${quoted(name)}: not a Twilio parameter name (expected letters and digits starting with a capital)`,
      );
    }
  }
  const [repeated] = form.repeatedNames();
  if (repeated !== undefined) {
    throw new WebhookInputError(
      "repeated-parameter",
      `${repeated}: sent more than once; Twilio sends each parameter once`,
    );
  }
}
