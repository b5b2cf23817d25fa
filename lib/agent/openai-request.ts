/**
 * The pure mapping from a ModelRequest to an OpenAI Chat Completions request body. Only the fields every
 * OpenAI-compatible server understands are sent (OpenAI, an OpenClaw gateway, Ollama, vLLM, LiteLLM).
 */
import type { ChatMessage, ModelImage, ModelRequest } from "./chat-model.ts";

export type OpenAiContentPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string } };

export type OpenAiMessage =
  | { role: "system" | "assistant"; content: string }
  | { role: "user"; content: string | OpenAiContentPart[] };

export interface ChatCompletionsBody {
  model: string;
  messages: OpenAiMessage[];
  /** Stateful servers (OpenClaw) derive one session per value; OpenAI uses it for abuse monitoring. */
  user: string;
  /** `max_tokens`, not `max_completion_tokens`: the one name Ollama, vLLM and LiteLLM all accept. */
  max_tokens?: number;
}

/** `POST {baseUrl}/chat/completions`, whether or not the base URL ends with a slash. */
export function chatCompletionsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/chat/completions`;
}

/** System first, then the history oldest first, then the new user message. */
export function chatCompletionsBody(model: string, request: ModelRequest): ChatCompletionsBody {
  const messages: OpenAiMessage[] = [
    { role: "system", content: request.system },
    ...request.history.map(historyMessage),
    { role: "user", content: userContent(request.message.text, request.message.images) },
  ];
  return {
    model,
    messages,
    user: request.user,
    ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
  };
}

/** Images travel inline: the server cannot fetch Twilio's media URLs, which need the account's credentials. */
export function imageDataUrl(image: ModelImage): string {
  return `data:${image.mediaType};base64,${Buffer.from(image.data).toString("base64")}`;
}

function historyMessage(message: ChatMessage): OpenAiMessage {
  return { role: message.role, content: message.text };
}

/** Plain string content unless there are images; an empty text part says nothing, so it is left out. */
function userContent(text: string, images: readonly ModelImage[]): string | OpenAiContentPart[] {
  if (images.length === 0) return text;
  const textPart: OpenAiContentPart[] = text === "" ? [] : [{ type: "text", text }];
  return [
    ...textPart,
    ...images.map((image) => ({ type: "image_url" as const, image_url: { url: imageDataUrl(image) } })),
  ];
}
