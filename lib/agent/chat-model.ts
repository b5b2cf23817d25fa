/**
 * The port every built-in agent connector implements (OpenAI-compatible Chat Completions, Bedrock Converse): one
 * request with a system prompt, the conversation so far and the new message, one plain-text answer. Connectors live
 * in lib/agent/ as adapters; the turn processing around them (memory, exactly-once, retries) does not know which
 * model answers.
 */

export interface ChatMessage {
  role: "user" | "assistant";
  text: string;
}

export type ImageMediaType = "image/jpeg" | "image/png" | "image/gif" | "image/webp";

/** An inbound MMS image, fetched from Twilio, for models that take images. */
export interface ModelImage {
  mediaType: ImageMediaType;
  data: Uint8Array;
}

export interface ModelRequest {
  /** Always sent first. */
  system: string;
  /** Earlier messages of this conversation, oldest first (empty when the account keeps no history). */
  history: readonly ChatMessage[];
  /** The sender's new message; attachments that are not images are already described in `text`. */
  message: { text: string; images: readonly ModelImage[] };
  /** Stable per account and sender, `sms:<account>:<E.164>`: stateful servers keep one session per sender. */
  user: string;
  maxTokens?: number;
}

export interface ModelAnswer {
  /** The answer as the model wrote it (markdown is fine: the outbound pipeline renders it); "" when it said nothing. */
  text: string;
}

export interface ChatModel {
  answer(request: ModelRequest): Promise<ModelAnswer>;
}

/**
 * A model call that failed. `retryable`: 429, 5xx, timeouts, connection failures and malformed answers (another try
 * may succeed); `terminal`: the request itself was refused (bad model id, bad key, validation), so retrying cannot
 * help. The message never holds the API key or the conversation.
 */
export class ModelError extends Error {
  override name = "ModelError";
  constructor(
    readonly kind: "retryable" | "terminal",
    message: string,
    /** HTTP status or the service's error name, for logs and metrics. */
    readonly code?: string,
  ) {
    super(message);
  }
}
