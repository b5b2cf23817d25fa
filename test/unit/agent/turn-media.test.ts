import { describe, expect, it } from "vitest";
import type { FetchedMedia, MediaFetcher } from "../../../lib/agent/media-fetch.ts";
import { DEFAULT_MEDIA_LIMITS, type MediaLimits } from "../../../lib/agent/media-limits.ts";
import { sniffImageType } from "../../../lib/agent/media-magic-bytes.ts";
import { prepareTurnMedia } from "../../../lib/agent/turn-media.ts";

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));
/** The first bytes of each format, padded: enough for the signature check, which is all the rules look at. */
const SAMPLES = {
  "image/jpeg": bytes([0xff, 0xd8, 0xff, 0xe0]),
  "image/png": bytes([0x89, ...ascii("PNG\r\n"), 0x1a, 0x0a]),
  "image/gif": bytes(ascii("GIF89a")),
  "image/webp": bytes([...ascii("RIFF"), 0x24, 0, 0, 0, ...ascii("WEBPVP8 ")]),
} as const;

function bytes(head: number[], size = 64): Uint8Array {
  const data = new Uint8Array(Math.max(size, head.length));
  data.set(head);
  return data;
}

function mediaUrl(n: number): string {
  return `https://api.twilio.com/2010-04-01/Accounts/AC${"a".repeat(32)}/Messages/MM${"b".repeat(32)}/Media/ME${String(n).padStart(32, "0")}`;
}

/** A fake fetcher answering per URL, recording each call and how many were under way at once. */
function fakeFetcher(answers: Record<string, FetchedMedia | Error>) {
  const calls: Array<{ url: string; maxBytes: number }> = [];
  let running = 0;
  let peak = 0;
  const fetchMedia: MediaFetcher = async (url, { maxBytes }) => {
    calls.push({ url, maxBytes });
    running += 1;
    peak = Math.max(peak, running);
    // Let every worker start before any finishes, so the peak shows the real bound.
    await new Promise((resolve) => setImmediate(resolve));
    running -= 1;
    const answer = answers[url];
    if (answer instanceof Error) throw answer;
    if (!answer) throw new Error(`unexpected fetch of ${url}`);
    return answer;
  };
  return { fetchMedia, calls, peak: () => peak };
}

function turnWith(media: Array<{ contentType: string; url?: string }>, mediaOmitted?: number) {
  return {
    media: media.map((item, index) => ({ url: item.url ?? mediaUrl(index), contentType: item.contentType })),
    ...(mediaOmitted === undefined ? {} : { mediaOmitted }),
  };
}

describe("sniffImageType", () => {
  it.each(Object.entries(SAMPLES))("recognises %s by its signature", (type, data) => {
    expect(sniffImageType(data)).toBe(type);
  });

  it.each([
    ["empty", new Uint8Array(0)],
    ["a cut JPEG signature", new Uint8Array([0xff, 0xd8])],
    ["RIFF that is not WebP (a WAV file)", bytes([...ascii("RIFF"), 0x24, 0, 0, 0, ...ascii("WAVEfmt ")])],
    ["text", bytes(ascii("<html>"))],
    ["GIF with an unknown version", bytes(ascii("GIF90a"))],
  ])("recognises nothing in %s", (_name, data) => {
    expect(sniffImageType(data)).toBeNull();
  });
});

describe("prepareTurnMedia", () => {
  it("gives the model each image of the four types, in order, as fetched", async () => {
    const types = ["image/jpeg", "image/png", "image/gif", "image/webp"] as const;
    const fake = fakeFetcher(
      Object.fromEntries(types.map((type, i) => [mediaUrl(i), { kind: "fetched", data: SAMPLES[type] }])),
    );
    const result = await prepareTurnMedia(turnWith(types.map((contentType) => ({ contentType }))), fake.fetchMedia);
    expect(result).toEqual({ images: types.map((type) => ({ mediaType: type, data: SAMPLES[type] })), lines: [] });
    expect(fake.calls.map((call) => call.maxBytes)).toEqual(types.map(() => 3_750_000));
  });

  it("reads the turn's content type without parameters and in any case", async () => {
    const fake = fakeFetcher({ [mediaUrl(0)]: { kind: "fetched", data: SAMPLES["image/png"] } });
    const result = await prepareTurnMedia(turnWith([{ contentType: "Image/PNG; name=cat.png" }]), fake.fetchMedia);
    expect(result.images).toEqual([{ mediaType: "image/png", data: SAMPLES["image/png"] }]);
  });

  it("describes every other attachment in one line, without fetching it", async () => {
    const fake = fakeFetcher({});
    const result = await prepareTurnMedia(
      turnWith([
        { contentType: "audio/amr" },
        { contentType: "video/mp4" },
        { contentType: "text/vcard" },
        { contentType: "image/heic" },
        { contentType: "image/bmp" },
      ]),
      fake.fetchMedia,
    );
    expect(result).toEqual({
      images: [],
      lines: [
        "[attachment: audio/amr]",
        "[attachment: video/mp4]",
        "[attachment: text/vcard]",
        "[attachment: image/heic]",
        "[attachment: image/bmp]",
      ],
    });
    expect(fake.calls).toEqual([]);
  });

  it("shows at most 5 images and describes the 6th and later without fetching them", async () => {
    const media = Array.from({ length: 8 }, () => ({ contentType: "image/jpeg" }));
    media.splice(2, 0, { contentType: "audio/amr" });
    const answers = Object.fromEntries(
      media.map((_, i) => [mediaUrl(i), { kind: "fetched", data: SAMPLES["image/jpeg"] } as const]),
    );
    const fake = fakeFetcher(answers);
    const result = await prepareTurnMedia(turnWith(media), fake.fetchMedia);
    expect(result.images).toHaveLength(5);
    expect(result.lines).toEqual([
      "[attachment: audio/amr]",
      "[image not shown: image/jpeg, only 5 images are shown per message]",
      "[image not shown: image/jpeg, only 5 images are shown per message]",
      "[image not shown: image/jpeg, only 5 images are shown per message]",
    ]);
    // The first five images (positions 0, 1, 3, 4, 5), not the audio, not the rest.
    expect(fake.calls.map((call) => call.url)).toEqual([0, 1, 3, 4, 5].map(mediaUrl));
  });

  it("describes an image over the size limit, with its size when known", async () => {
    const fake = fakeFetcher({
      [mediaUrl(0)]: { kind: "too-large", bytes: 5_200_000 },
      [mediaUrl(1)]: { kind: "too-large" },
      [mediaUrl(2)]: { kind: "too-large", bytes: 3_750_001 },
    });
    const result = await prepareTurnMedia(
      turnWith([{ contentType: "image/jpeg" }, { contentType: "image/png" }, { contentType: "image/gif" }]),
      fake.fetchMedia,
    );
    expect(result).toEqual({
      images: [],
      lines: [
        "[image not shown: image/jpeg, 5.2 MB is over the 3.75 MB limit]",
        "[image not shown: image/png, over the 3.75 MB limit]",
        // Rounded up, so it never reads as equal to the limit.
        "[image not shown: image/gif, 3.76 MB is over the 3.75 MB limit]",
      ],
    });
  });

  it("holds a fetcher that does not cap its reads to the limit: one byte over is described", async () => {
    const limits: MediaLimits = { ...DEFAULT_MEDIA_LIMITS, maxImageBytes: 2_000 };
    const fake = fakeFetcher({
      [mediaUrl(0)]: { kind: "fetched", data: bytes([0xff, 0xd8, 0xff], 2_001) },
      [mediaUrl(1)]: { kind: "fetched", data: bytes([0xff, 0xd8, 0xff], 2_000) },
    });
    const result = await prepareTurnMedia(
      turnWith([{ contentType: "image/jpeg" }, { contentType: "image/jpeg" }]),
      fake.fetchMedia,
      limits,
    );
    expect(result.lines).toEqual(["[image not shown: image/jpeg, 2.01 kB is over the 2 kB limit]"]);
    expect(result.images.map((image) => image.data.length)).toEqual([2_000]);
    expect(fake.calls.map((call) => call.maxBytes)).toEqual([2_000, 2_000]);
  });

  it("sends no image whose bytes are not the type Twilio reported", async () => {
    const fake = fakeFetcher({
      [mediaUrl(0)]: { kind: "fetched", data: SAMPLES["image/jpeg"] },
      [mediaUrl(1)]: { kind: "fetched", data: bytes(ascii("<!DOCTYPE html>")) },
      [mediaUrl(2)]: { kind: "fetched", data: new Uint8Array(0) },
    });
    const result = await prepareTurnMedia(
      turnWith([{ contentType: "image/png" }, { contentType: "image/webp" }, { contentType: "image/gif" }]),
      fake.fetchMedia,
    );
    expect(result).toEqual({
      images: [],
      lines: [
        "[image not shown: image/png, its content is not image/png]",
        "[image not shown: image/webp, its content is not image/webp]",
        "[image not shown: image/gif, its content is not image/gif]",
      ],
    });
  });

  it("describes each failed fetch and still gives the model the images that arrived", async () => {
    const fake = fakeFetcher({
      [mediaUrl(0)]: { kind: "http-error", status: 404 },
      [mediaUrl(1)]: { kind: "fetched", data: SAMPLES["image/png"] },
      [mediaUrl(2)]: { kind: "failed", reason: "timeout" },
      [mediaUrl(3)]: { kind: "failed", reason: "network" },
      [mediaUrl(4)]: { kind: "failed", reason: "refused" },
      [mediaUrl(5)]: new Error("a fetcher bug with a secret-token inside"),
    });
    const media = ["image/png", "image/png", "image/jpeg", "image/gif", "image/webp", "image/jpeg"];
    const result = await prepareTurnMedia(turnWith(media.map((contentType) => ({ contentType }))), fake.fetchMedia, {
      ...DEFAULT_MEDIA_LIMITS,
      maxImages: 6,
    });
    expect(result).toEqual({
      images: [{ mediaType: "image/png", data: SAMPLES["image/png"] }],
      lines: [
        "[attachment could not be fetched: image/png (HTTP 404)]",
        "[attachment could not be fetched: image/jpeg (timed out)]",
        "[attachment could not be fetched: image/gif (network error)]",
        "[attachment could not be fetched: image/webp (not a Twilio media URL of this account)]",
        "[attachment could not be fetched: image/jpeg (unexpected error)]",
      ],
    });
  });

  it.each([
    [1, "[1 more attachment was not delivered]"],
    [3, "[3 more attachments were not delivered]"],
  ])("describes mediaOmitted %i in a last line", async (omitted, line) => {
    const result = await prepareTurnMedia(
      turnWith([{ contentType: "audio/amr" }], omitted),
      fakeFetcher({}).fetchMedia,
    );
    expect(result.lines).toEqual(["[attachment: audio/amr]", line]);
  });

  it("answers a turn without media with nothing, fetching nothing", async () => {
    const fake = fakeFetcher({});
    expect(await prepareTurnMedia(turnWith([]), fake.fetchMedia)).toEqual({ images: [], lines: [] });
    expect(fake.calls).toEqual([]);
  });

  it.each([1, 2, 3])("fetches at most %i at once (the concurrency limit)", async (concurrency) => {
    const answers = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [mediaUrl(i), { kind: "fetched", data: SAMPLES["image/gif"] } as const]),
    );
    const fake = fakeFetcher(answers);
    const turn = turnWith(Array.from({ length: 5 }, () => ({ contentType: "image/gif" })));
    const result = await prepareTurnMedia(turn, fake.fetchMedia, { ...DEFAULT_MEDIA_LIMITS, concurrency });
    expect(result.images).toHaveLength(5);
    expect(fake.peak()).toBe(concurrency);
  });
});
