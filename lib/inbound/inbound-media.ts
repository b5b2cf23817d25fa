import { MAX_TURN_MEDIA } from "../queue/messages.ts";
import { twilioMediaOwner } from "../twilio/media-url.ts";
import type { WebhookForm } from "./webhook-form.ts";

export interface InboundMedia {
  url: string;
  contentType: string;
}

/** MediaUrl0 … MediaUrl99: Twilio numbers media from 0 without leading zeros. */
const MEDIA_URL_NAME = /^MediaUrl(0|[1-9]\d?)$/;
/** A MIME type, optionally with parameters (`text/x-vCard`, `text/plain; charset=UTF-8`). */
const CONTENT_TYPE =
  /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,127}(; ?[a-z0-9-]+=[a-z0-9._-]+)*$/i;

/**
 * The media of an MMS, never at the cost of the message: the first ten usable ones go into the turn, and the others
 * Twilio announced (through NumMedia or a MediaUrlN) are counted in `omitted`, whether beyond ten, missing or
 * malformed. Usable means exactly what Twilio sends: its Media resource URL for this very message and a content
 * type. That strictness is what keeps a re-cut request (a URL that swallowed the next parameter, a content type
 * cut short) from altering a media item: such an item can only be left out, and the turn says so.
 */
export function readMedia(
  form: WebhookForm,
  message: { accountSid: string; messageSid: string },
): { media: InboundMedia[]; omitted: number } {
  const announced = Number(form.get("NumMedia") ?? "0"); // its format (digits) was checked with the other params
  const highestIndex = form
    .signedOrder()
    .map((name) => MEDIA_URL_NAME.exec(name)?.[1])
    .reduce((highest, index) => (index === undefined ? highest : Math.max(highest, Number(index))), -1);
  const count = Math.max(announced, highestIndex + 1);

  const media: InboundMedia[] = [];
  for (let index = 0; index < count && media.length < MAX_TURN_MEDIA; index++) {
    const url = form.get(`MediaUrl${index}`);
    const contentType = form.get(`MediaContentType${index}`);
    if (
      url !== undefined &&
      isThisMessagesMedia(url, message) &&
      contentType !== undefined &&
      CONTENT_TYPE.test(contentType)
    ) {
      media.push({ url, contentType });
    }
  }
  return { media, omitted: count - media.length };
}

/** Twilio's Media resource URL of this very message, written exactly as Twilio writes it. */
function isThisMessagesMedia(url: string, message: { accountSid: string; messageSid: string }): boolean {
  const owner = twilioMediaOwner(url);
  return (
    owner?.accountSid === message.accountSid && owner.messageSid === message.messageSid && new URL(url).href === url
  );
}
