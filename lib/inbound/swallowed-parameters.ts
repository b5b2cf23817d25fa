import type { Channel } from "../access/address.ts";
import type { WebhookForm } from "./webhook-form.ts";
import { WebhookInputError } from "./webhook-input-error.ts";

/**
 * Twilio's signature joins the sorted names and values with no separator, so a signed request can be re-cut and
 * keep its signature, and the sender controls part of the signed text: their own Body. A Body written as
 * `hiFrom+15557654321MessageSidSM…To+1555…ToCity` can be cut into a Body, a From of someone else's, a fresh
 * MessageSid and a To, with Twilio's real parameters folded into one value after them. Whatever the cut, Twilio's
 * real parameters then sit inside some value as a name followed by a value of that name's shape (`From+1…`,
 * `MessageSidSM…`, `MediaUrl0https://…`), which no value Twilio writes ever holds. Such a request is refused.
 * Body is where the sender's text legitimately holds anything; JSON values are checked as JSON instead.
 */
const INJECTED_PARAMETER = new RegExp(
  [
    "(?:From|To)(?:\\+\\d|[Rr][Cc][Ss]:|whatsapp:)",
    "(?:MessageSid|SmsMessageSid|SmsSid)(?:SM|MM)[0-9a-fA-F]",
    "AccountSidAC[0-9a-fA-F]",
    "MessagingServiceSidMG[0-9a-fA-F]",
    "ApiVersion\\d{4}-",
    "(?:NumMedia|NumSegments)\\d",
    "MediaUrl\\d{1,2}https?:",
    "MediaContentType\\d{1,2}[A-Za-z]+/",
    "(?:SmsStatus|MessageStatus)[a-z]",
  ].join("|"),
);
const JSON_VALUES = new Set(["AddOns", "ChannelMetadata"]);
/** On RCS the button parameters sort right after Body and carry free text: none may hold another's name. */
const RCS_FREE_TEXT = new Set(["Body", "ButtonPayload", "ButtonText"]);
const RCS_BUTTON_NAMES = /ButtonPayload|ButtonText|ChannelMetadata/;

export function checkSwallowedParameters(form: WebhookForm, channel: Channel): void {
  for (const [name, value] of form.pairs) {
    if (JSON_VALUES.has(name)) {
      if (!isJson(value)) throw new WebhookInputError(name, `${name}: expected the JSON Twilio sends`);
    } else if (name !== "Body" && INJECTED_PARAMETER.test(value)) {
      // `name` may itself be cut from the sender's text, so the log gets a fixed label; the 400 may quote it.
      throw new WebhookInputError(
        "injected-parameter",
        `parameter ${JSON.stringify(name)}: its value holds another Twilio parameter: a re-cut request`,
      );
    }
    if (channel === "rcs" && RCS_FREE_TEXT.has(name) && RCS_BUTTON_NAMES.test(value)) {
      throw new WebhookInputError(name, `${name}: holds the name of a parameter Twilio sends next to it`);
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
