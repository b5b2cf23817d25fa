import type { FetchedMedia } from "./media-fetch.ts";

/**
 * The body of a media download, never more than `maxBytes` of it: an announced size over the cap is refused before
 * reading, and an unannounced one stops the read as soon as it goes past the cap, so a huge or endless body costs
 * at most the cap in memory and transfer. Read errors (an abort, a reset) are the caller's to name.
 */
export async function readMediaBody(response: Response, maxBytes: number): Promise<FetchedMedia> {
  const announced = Number(response.headers.get("content-length") ?? Number.NaN);
  if (Number.isSafeInteger(announced) && announced > maxBytes) {
    await response.body?.cancel();
    return { kind: "too-large", bytes: announced };
  }
  if (!response.body) return { kind: "fetched", data: new Uint8Array(0) };

  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    total += read.value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return { kind: "too-large" };
    }
    chunks.push(read.value);
  }
  const data = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    data.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { kind: "fetched", data };
}
