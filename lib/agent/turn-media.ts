import type { Turn } from "../queue/messages.ts";
import type { ImageMediaType, ModelImage } from "./chat-model.ts";
import type { FetchedMedia, MediaFetcher } from "./media-fetch.ts";
import { DEFAULT_MEDIA_LIMITS, type MediaLimits } from "./media-limits.ts";
import { sniffImageType } from "./media-magic-bytes.ts";
import { describeMediaNote, type MediaNote } from "./media-notes.ts";

/**
 * The media of a turn, as the model gets them: images it can look at, and one line of text for every other
 * attachment (to go into the message text). A failed fetch is a line, never an error: the sender's words still
 * reach the model.
 */
export interface TurnMedia {
  images: ModelImage[];
  lines: string[];
}

type MediaItem = Turn["media"][number];

/** What to do with one attachment, decided before anything is fetched. */
export type MediaPlan = { kind: "fetch"; item: MediaItem; type: ImageMediaType } | { kind: "note"; note: MediaNote };

const IMAGE_TYPES: ReadonlySet<string> = new Set<ImageMediaType>([
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
]);

export async function prepareTurnMedia(
  turn: Pick<Turn, "media" | "mediaOmitted">,
  fetchMedia: MediaFetcher,
  limits: MediaLimits = DEFAULT_MEDIA_LIMITS,
): Promise<TurnMedia> {
  const outcomes = await mapConcurrently(planTurnMedia(turn.media, limits), limits.concurrency, async (plan) => {
    if (plan.kind === "note") return plan;
    let fetched: FetchedMedia;
    try {
      fetched = await fetchMedia(plan.item.url, { maxBytes: limits.maxImageBytes });
    } catch {
      // The port says fetchers do not throw; one that does still costs only this attachment.
      fetched = { kind: "failed", reason: "unexpected" };
    }
    return judgeFetchedImage(plan.item.contentType, plan.type, fetched, limits);
  });

  const images: ModelImage[] = [];
  const notes: MediaNote[] = [];
  for (const outcome of outcomes) {
    if (outcome.kind === "image") images.push(outcome.image);
    else notes.push(outcome.note);
  }
  if (turn.mediaOmitted) notes.push({ kind: "omitted", count: turn.mediaOmitted });
  return { images, lines: notes.map(describeMediaNote) };
}

/** Images of the four types the models take are fetched, up to `maxImages`; everything else is only described. */
export function planTurnMedia(media: readonly MediaItem[], limits: MediaLimits): MediaPlan[] {
  let images = 0;
  return media.map((item): MediaPlan => {
    const type = imageType(item.contentType);
    if (type === null) return { kind: "note", note: { kind: "attachment", contentType: item.contentType } };
    images += 1;
    if (images > limits.maxImages) {
      return {
        kind: "note",
        note: { kind: "too-many-images", contentType: item.contentType, maxImages: limits.maxImages },
      };
    }
    return { kind: "fetch", item, type };
  });
}

/** An image goes to the model only within the size limit and when its bytes are the type Twilio reported. */
export function judgeFetchedImage(
  contentType: string,
  type: ImageMediaType,
  fetched: FetchedMedia,
  limits: Pick<MediaLimits, "maxImageBytes">,
): { kind: "image"; image: ModelImage } | { kind: "note"; note: MediaNote } {
  const note = (value: MediaNote) => ({ kind: "note" as const, note: value });
  switch (fetched.kind) {
    case "fetched":
      // A fetcher that does not cap its reads is held to the limit all the same.
      if (fetched.data.length > limits.maxImageBytes) {
        return note({ kind: "too-large", contentType, bytes: fetched.data.length, maxBytes: limits.maxImageBytes });
      }
      if (sniffImageType(fetched.data) !== type) return note({ kind: "wrong-content", contentType });
      return { kind: "image", image: { mediaType: type, data: fetched.data } };
    case "too-large":
      return note({ kind: "too-large", contentType, bytes: fetched.bytes, maxBytes: limits.maxImageBytes });
    case "http-error":
      return note({ kind: "not-fetched", contentType, failure: { status: fetched.status } });
    case "failed":
      return note({ kind: "not-fetched", contentType, failure: { reason: fetched.reason } });
  }
}

/** The MIME type without parameters, lowercase, if it is one the models take. */
function imageType(contentType: string): ImageMediaType | null {
  const essence = (contentType.split(";")[0] ?? "").trim().toLowerCase();
  return IMAGE_TYPES.has(essence) ? (essence as ImageMediaType) : null;
}

/** `map` over `items` with at most `limit` calls under way; results keep the items' order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) {
      results[index] = await map(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
