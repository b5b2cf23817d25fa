import type { ImageMediaType } from "./chat-model.ts";

/**
 * The image type the bytes themselves say, from their signature, or null. The content type Twilio reported is only a
 * claim; a model API refuses (or misreads) bytes that do not match the type it is told.
 */
export function sniffImageType(data: Uint8Array): ImageMediaType | null {
  if (startsWith(data, JPEG)) return "image/jpeg";
  if (startsWith(data, PNG)) return "image/png";
  if (startsWith(data, GIF87A) || startsWith(data, GIF89A)) return "image/gif";
  // RIFF, four bytes of size, WEBP.
  if (startsWith(data, RIFF) && startsWith(data.subarray(8), WEBP)) return "image/webp";
  return null;
}

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));
const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, ...ascii("PNG"), 0x0d, 0x0a, 0x1a, 0x0a];
const GIF87A = ascii("GIF87a");
const GIF89A = ascii("GIF89a");
const RIFF = ascii("RIFF");
const WEBP = ascii("WEBP");

function startsWith(data: Uint8Array, signature: readonly number[]): boolean {
  return data.length >= signature.length && signature.every((byte, index) => data[index] === byte);
}
