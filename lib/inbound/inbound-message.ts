import { parseChannelAddress, parseSenderAddress, type SenderAddress } from "../access/address.ts";
import { MAX_TURN_TEXT } from "../queue/messages.ts";
import { MESSAGE_SID } from "../twilio/sids.ts";
import { checkBodyBoundaries } from "./body-boundaries.ts";
import { type InboundMedia, readMedia } from "./inbound-media.ts";
import { checkSwallowedParameters } from "./swallowed-parameters.ts";
import type { WebhookForm } from "./webhook-form.ts";
import { quoted, WebhookInputError } from "./webhook-input-error.ts";

export type { InboundMedia } from "./inbound-media.ts";

export interface InboundSms {
  messageSid: string;
  accountSid: string;
  sender: SenderAddress;
  /** The channel's number or RCS sender id the message was written to. */
  to: string;
  body: string;
  media: InboundMedia[];
  /** Media Twilio announced that are not in `media` (beyond the first 10, or without a usable URL). */
  mediaOmitted: number;
}

/** Twilio's API version on every webhook; a different value means the request was re-cut. */
const API_VERSION = "2010-04-01";
/** The names Twilio has used for the message sid; older accounts may send only the Sms* ones. */
const SID_NAMES = ["MessageSid", "SmsMessageSid", "SmsSid"] as const;

/** A signed message webhook as the channel reads it; everything it cannot use is named in a WebhookInputError. */
export function parseInboundSms(form: WebhookForm): InboundSms {
  const messageSid = readMessageSid(form);
  const sender = parseSenderAddress(form.get("From") ?? "");
  if (!sender)
    throw new WebhookInputError("From", `From: expected an E.164 number or rcs:+E164, got ${fieldValue(form, "From")}`);
  checkBodyBoundaries(form, sender.channel);
  checkSwallowedParameters(form, sender.channel);
  const apiVersion = form.get("ApiVersion");
  if (apiVersion !== undefined && apiVersion !== API_VERSION) {
    throw new WebhookInputError("ApiVersion", `ApiVersion: expected ${API_VERSION}, got ${quoted(apiVersion)}`);
  }
  const to = parseChannelAddress(form.get("To") ?? "");
  if (!to)
    throw new WebhookInputError("To", `To: expected an E.164 number or rcs:<sender id>, got ${fieldValue(form, "To")}`);
  const body = form.get("Body") ?? "";
  if (body.length > MAX_TURN_TEXT) {
    throw new WebhookInputError("Body", `Body: expected at most ${MAX_TURN_TEXT} characters, got ${body.length}`);
  }
  const accountSid = form.get("AccountSid") ?? "";
  const { media, omitted } = readMedia(form, { accountSid, messageSid });
  return {
    messageSid,
    accountSid,
    sender,
    to,
    body,
    media,
    mediaOmitted: omitted,
  };
}

/** The message sid under whichever of Twilio's names it came; names that are present must agree. */
export function readMessageSid(form: WebhookForm): string {
  const present = SID_NAMES.flatMap((name) => {
    const value = form.get(name);
    return value === undefined ? [] : [{ name, value }];
  });
  const [first] = present;
  if (!first) throw new WebhookInputError("MessageSid", "MessageSid: missing (nor SmsMessageSid or SmsSid)");
  for (const { name, value } of present) {
    if (!MESSAGE_SID.test(value)) {
      throw new WebhookInputError(name, `${name}: expected SM or MM followed by 32 hex, got ${quoted(value)}`);
    }
    if (value !== first.value) throw new WebhookInputError(name, `${name}: differs from ${first.name}`);
  }
  return first.value;
}

function fieldValue(form: WebhookForm, name: string): string {
  const value = form.get(name);
  return value === undefined ? "nothing" : quoted(value);
}
