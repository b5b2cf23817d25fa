import type { WebhookForm } from "./webhook-form.ts";
import { WebhookInputError } from "./webhook-input-error.ts";

/**
 * Twilio's signature joins the sorted names and values with no separator, so a re-cut can fold whole parameters
 * into the value before them: `MediaUrl1` swallowing `MessageSid…`, `MediaContentType0` swallowing the next
 * content type. What gives it away is the swallowed name inside that value, and the name missing from the
 * request. Twilio-generated values never hold the name of a Twilio parameter, so such a request is refused.
 * Body is checked by its own rules (a person may well write "From"); JSON values are checked as JSON.
 */
const TWILIO_NAMES =
  /AccountSid|AddOns|ApiVersion|ButtonPayload|ButtonText|ChannelMetadata|ErrorCode|ErrorMessage|From(?:City|Country|State|Zip)?|MediaContentType\d{1,2}|MediaUrl\d{1,2}|MessageSid|MessageStatus|MessagingServiceSid|NumMedia|NumSegments|OptOutType|SmsMessageSid|SmsSid|SmsStatus|To(?:City|Country|State|Zip)?/g;
const JSON_VALUES = new Set(["AddOns", "ChannelMetadata"]);

export function checkSwallowedParameters(form: WebhookForm): void {
  for (const [name, value] of form.pairs) {
    if (name === "Body") continue;
    if (JSON_VALUES.has(name)) {
      if (!isJson(value)) throw new WebhookInputError(name, `${name}: expected the JSON Twilio sends`);
      continue;
    }
    for (const [swallowed] of value.matchAll(TWILIO_NAMES)) {
      if (swallowed > name && !form.has(swallowed)) {
        throw new WebhookInputError(
          name,
          `${name}: holds the name of ${swallowed}, which is missing: a re-cut request`,
        );
      }
    }
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
