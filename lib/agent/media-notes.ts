import type { MediaFetchFailure } from "./media-fetch.ts";

/**
 * Why an attachment reaches the model as a line of text instead of an image. The decisions (turn-media.ts) produce
 * these; `describeMediaNote` is the only place that words them, one line each, in brackets so the model can tell
 * them from what the sender wrote.
 */
export type MediaNote =
  /** Not an image the models take (audio, video, vCard, HEIC …): never fetched. */
  | { kind: "attachment"; contentType: string }
  | { kind: "too-many-images"; contentType: string; maxImages: number }
  /** `bytes` when known; a capped read only knows that it went past the limit. */
  | { kind: "too-large"; contentType: string; bytes?: number; maxBytes: number }
  /** The bytes are not the image type Twilio reported. */
  | { kind: "wrong-content"; contentType: string }
  | { kind: "not-fetched"; contentType: string; failure: { status: number } | { reason: MediaFetchFailure } }
  /** The turn's `mediaOmitted`: media Twilio announced that the turn does not carry. */
  | { kind: "omitted"; count: number };

export function describeMediaNote(note: MediaNote): string {
  switch (note.kind) {
    case "attachment":
      return `[attachment: ${note.contentType}]`;
    case "too-many-images":
      return `[image not shown: ${note.contentType}, only ${note.maxImages} images are shown per message]`;
    case "too-large": {
      const limit = formatSize(note.maxBytes, Math.floor);
      const size = note.bytes === undefined ? "" : `${formatSize(note.bytes, Math.ceil)} is `;
      return `[image not shown: ${note.contentType}, ${size}over the ${limit} limit]`;
    }
    case "wrong-content":
      return `[image not shown: ${note.contentType}, its content is not ${note.contentType}]`;
    case "not-fetched": {
      const why = "status" in note.failure ? `HTTP ${note.failure.status}` : FAILURE_TEXT[note.failure.reason];
      return `[attachment could not be fetched: ${note.contentType} (${why})]`;
    }
    case "omitted":
      return note.count === 1
        ? "[1 more attachment was not delivered]"
        : `[${note.count} more attachments were not delivered]`;
  }
}

const FAILURE_TEXT: Record<MediaFetchFailure, string> = {
  timeout: "timed out",
  network: "network error",
  refused: "not a Twilio media URL of this account",
  redirect: "bad redirect",
  credentials: "credentials unavailable",
  unexpected: "unexpected error",
};

/**
 * Decimal units, two decimals at most. The size is rounded up and the limit down, so a size just over the limit never
 * reads as equal to it ("3.76 MB is over the 3.75 MB limit").
 */
function formatSize(bytes: number, round: (value: number) => number): string {
  const [unit, scale] = bytes >= 1e6 ? ["MB", 1e6] : bytes >= 1e3 ? ["kB", 1e3] : ["bytes", 1];
  // Multiply first: 5_200_000 * 100 / 1e6 is exactly 520, where 5.2 * 100 is not.
  return `${round((bytes * 100) / scale) / 100} ${unit}`;
}
