import { MAX_TURN_MEDIA, mediaItemSchema } from "../queue/messages.ts";
import type { WebhookForm } from "./webhook-form.ts";

export interface InboundMedia {
  url: string;
  contentType: string;
}

/** MediaUrl0 … MediaUrl99: Twilio numbers media from 0 without leading zeros. */
const MEDIA_URL_NAME = /^MediaUrl(0|[1-9]\d?)$/;
const NUM_MEDIA = /^(0|[1-9]\d{0,2})$/;
const UNKNOWN_TYPE = "application/octet-stream";

/**
 * The media of an MMS, never at the cost of the message: the first ten with a usable URL go into the turn, and
 * the others Twilio announced (through NumMedia or a MediaUrlN) are counted, whether beyond ten, missing or
 * malformed. A bad NumMedia is ignored in favour of the MediaUrlN parameters present.
 */
export function readMedia(form: WebhookForm): { media: InboundMedia[]; omitted: number } {
  const numMedia = form.get("NumMedia");
  const announced = numMedia !== undefined && NUM_MEDIA.test(numMedia) ? Number(numMedia) : 0;
  const highestIndex = form
    .signedOrder()
    .map((name) => MEDIA_URL_NAME.exec(name)?.[1])
    .reduce((highest, index) => (index === undefined ? highest : Math.max(highest, Number(index))), -1);
  const count = Math.max(announced, highestIndex + 1);

  const media: InboundMedia[] = [];
  for (let index = 0; index < count && media.length < MAX_TURN_MEDIA; index++) {
    const item = usableMedia(form.get(`MediaUrl${index}`), form.get(`MediaContentType${index}`));
    if (item) media.push(item);
  }
  return { media, omitted: count - media.length };
}

/** Usable means what the turn contract accepts, so a message the webhook keeps is always a valid turn. */
function usableMedia(url: string | undefined, contentType: string | undefined): InboundMedia | null {
  if (url === undefined) return null;
  const item = { url, contentType: contentType?.trim() || UNKNOWN_TYPE };
  return mediaItemSchema.safeParse(item).success ? item : null;
}
