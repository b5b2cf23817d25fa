/**
 * What the model may be given of an inbound MMS: limits every built-in connector accepts, so the rules need not know
 * which model answers. Each is the smaller of the two APIs' limits.
 *
 * - Bedrock Converse: each image at most 3.75 MB and 8000 x 8000 px, at most 20 images per message
 *   (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Message.html); formats png, jpeg, gif, webp
 *   (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ImageBlock.html).
 * - OpenAI: PNG, JPEG, WEBP, non-animated GIF; up to 20 MB per image, 500 images and 50 MB of image bytes per request
 *   (https://developers.openai.com/api/docs/guides/images-vision).
 */
export interface MediaLimits {
  /** Images given to the model per turn; later ones are described. */
  maxImages: number;
  /** Bytes per image; a larger one is described (and not read past this). */
  maxImageBytes: number;
  /** Fetches under way at once for one turn. */
  concurrency: number;
}

export const DEFAULT_MEDIA_LIMITS: MediaLimits = {
  // The choice: far under Bedrock's 20, and 5 x 3.75 MB stays under OpenAI's 50 MB once base64-encoded.
  maxImages: 5,
  // Bedrock's 3.75 MB read as decimal megabytes (3,750,000 bytes), the stricter reading of "MB".
  maxImageBytes: 3_750_000,
  concurrency: 3,
};
