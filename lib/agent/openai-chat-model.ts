/**
 * The ChatModel for any OpenAI-compatible Chat Completions endpoint (OpenAI, an OpenClaw gateway, Ollama, vLLM,
 * LiteLLM), on global fetch: one non-streaming `POST {baseUrl}/chat/completions` per answer. Retries are the
 * caller's job; this says, through ModelError's kind, whether one is worth it.
 */
import { DEFAULT_MODEL_TIMEOUT_MS } from "../config/agent-config.ts";
import { type ChatModel, ModelError } from "./chat-model.ts";
import { conversationTexts } from "./model-error-text.ts";
import { modelErrorFromFailure, modelErrorFromStatus } from "./openai-errors.ts";
import { chatCompletionsBody, chatCompletionsUrl } from "./openai-request.ts";
import { readCompletion } from "./openai-response.ts";

export interface OpenAiChatModelOptions {
  /** e.g. http://127.0.0.1:11434/v1, https://api.openai.com/v1; a trailing slash is fine. */
  baseUrl: string;
  model: string;
  /** Read before every request so a rotated key is picked up (the caller caches it); undefined or "" sends none. */
  apiKey: () => Promise<string | undefined>;
  /** Covers the whole exchange, answer body included. Default 60 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function createOpenAiChatModel(options: OpenAiChatModelOptions): ChatModel {
  const url = chatCompletionsUrl(options.baseUrl);
  const endpoint = new URL(url).host;
  const timeoutMs = options.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS;
  const fetchImpl = options.fetch ?? globalThis.fetch;

  return {
    async answer(request) {
      const apiKey = await readApiKey(options.apiKey, endpoint);
      const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
      if (apiKey) headers.authorization = `Bearer ${apiKey}`;
      let response: Response;
      let text: string;
      try {
        response = await fetchImpl(url, {
          method: "POST",
          headers,
          body: JSON.stringify(chatCompletionsBody(options.model, request)),
          signal: AbortSignal.timeout(timeoutMs),
          // A redirect means a wrong baseUrl: following it would turn the POST into a GET, or send the key on.
          redirect: "manual",
        });
        text = await response.text();
      } catch (error) {
        throw modelErrorFromFailure(error, endpoint, timeoutMs);
      }
      if (!response.ok) {
        const secrets = [apiKey ?? "", ...conversationTexts(request)];
        throw modelErrorFromStatus(response.status, text, response.headers, { endpoint, secrets });
      }
      return readCompletion(text, endpoint);
    },
  };
}

/** A key that cannot be read (a secret store hiccup) is retryable; the reader's message names the secret, not its value. */
async function readApiKey(apiKey: () => Promise<string | undefined>, endpoint: string): Promise<string | undefined> {
  try {
    return await apiKey();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelError("retryable", `API key for ${endpoint} could not be read: ${reason}`, "api-key");
  }
}
