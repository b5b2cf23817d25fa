import { isE164 } from "../access/phone.ts";
import { firstValue } from "../http/api-gateway-event.ts";
import { MESSAGE_SID } from "../twilio/sids.ts";
import type { FormParams } from "../twilio/signature.ts";

export interface InboundMedia {
  url: string;
  contentType: string;
}

export interface InboundSms {
  messageSid: string;
  accountSid: string;
  from: string;
  to: string;
  body: string;
  media: InboundMedia[];
}

/** A signed webhook that still lacks what we need: answered 400 with the field named. */
export class WebhookInputError extends Error {
  override name = "WebhookInputError";
}

const MAX_MEDIA = 10;

export function isStatusCallback(params: FormParams): boolean {
  return firstValue(params, "MessageStatus") !== undefined;
}

export function parseInboundSms(params: FormParams): InboundSms {
  const messageSid = firstValue(params, "MessageSid") ?? firstValue(params, "SmsSid") ?? "";
  if (!MESSAGE_SID.test(messageSid)) throw new WebhookInputError("MessageSid: expected SM or MM followed by 32 hex");
  const from = firstValue(params, "From") ?? "";
  if (!isE164(from)) throw new WebhookInputError("From: expected an E.164 number");
  const to = firstValue(params, "To") ?? "";
  if (!isE164(to)) throw new WebhookInputError("To: expected an E.164 number");
  const numMedia = Math.min(Number(firstValue(params, "NumMedia") ?? "0") || 0, MAX_MEDIA);
  const media: InboundMedia[] = [];
  for (let i = 0; i < numMedia; i++) {
    const url = firstValue(params, `MediaUrl${i}`);
    if (!url) throw new WebhookInputError(`MediaUrl${i}: expected a URL since NumMedia is ${numMedia}`);
    media.push({ url, contentType: firstValue(params, `MediaContentType${i}`) ?? "application/octet-stream" });
  }
  return {
    messageSid,
    accountSid: firstValue(params, "AccountSid") ?? "",
    from,
    to,
    body: firstValue(params, "Body") ?? "",
    media,
  };
}
