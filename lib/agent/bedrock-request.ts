/**
 * The pure mapping between a ModelRequest and Bedrock's Converse API: ConverseCommand's input, and the answer read
 * from its output (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html).
 * Only types come from the SDK: nothing here adds to a bundle.
 */
import type {
  ContentBlock,
  ConverseCommandInput,
  ConverseCommandOutput,
  ImageFormat,
  Message,
} from "@aws-sdk/client-bedrock-runtime";
import { type ChatMessage, type ImageMediaType, ModelError, type ModelImage, type ModelRequest } from "./chat-model.ts";

const IMAGE_FORMATS: Record<ImageMediaType, ImageFormat> = {
  "image/jpeg": "jpeg",
  "image/png": "png",
  "image/gif": "gif",
  "image/webp": "webp",
};

/** One message before it is rendered: texts to join and images, so that two of the same role can be merged. */
interface Draft {
  role: "user" | "assistant";
  texts: string[];
  images: readonly ModelImage[];
}

/**
 * System prompt, then the history oldest first, then the new user message. A blank system prompt is left out:
 * Converse refuses blank text anywhere.
 */
export function converseInput(modelId: string, request: ModelRequest): ConverseCommandInput {
  return {
    modelId,
    messages: converseMessages(request.history, request.message),
    ...(request.system.trim() !== "" ? { system: [{ text: request.system }] } : {}),
    ...(request.maxTokens !== undefined ? { inferenceConfig: { maxTokens: request.maxTokens } } : {}),
  };
}

/**
 * Converse refuses a conversation that does not start with a user message or does not alternate roles
 * ("A conversation must alternate between user and assistant roles"). Stored history can break both rules: the
 * window of the last N messages can begin with an answer whose question fell out of it, and a turn the model never
 * answered leaves two user messages in a row. So consecutive messages of one role are merged (texts joined by a
 * blank line, which every model reads as a paragraph break), and a leading answer is dropped rather than paired
 * with an invented question: without its question it tells the model little. Blank messages are left out, since
 * Converse refuses blank text.
 */
export function converseMessages(history: readonly ChatMessage[], message: ModelRequest["message"]): Message[] {
  const latest: Draft = { role: "user", texts: [message.text], images: message.images };
  if (!hasContent(latest)) {
    throw new ModelError("terminal", "Bedrock Converse: the new message has neither text nor images", "EmptyMessage");
  }
  const drafts = history.map((m): Draft => ({ role: m.role, texts: [m.text], images: [] }));
  const merged: Draft[] = [];
  for (const next of [...drafts, latest].filter(hasContent)) {
    const last = merged.at(-1);
    if (last?.role === next.role) {
      merged[merged.length - 1] = {
        role: last.role,
        texts: [...last.texts, ...next.texts],
        images: [...last.images, ...next.images],
      };
    } else if (last !== undefined || next.role === "user") {
      merged.push(next);
    }
  }
  return merged.map(render);
}

/** Bytes travel inline (the SDK base64-encodes them); Bedrock cannot fetch Twilio's authenticated media URLs. */
export function imageBlock(image: ModelImage): ContentBlock {
  return { image: { format: IMAGE_FORMATS[image.mediaType], source: { bytes: image.data } } };
}

function hasContent(draft: Draft): boolean {
  return draft.images.length > 0 || draft.texts.some((text) => text.trim() !== "");
}

/** Images first, then the text: Anthropic advises images before the question for its Claude models. */
function render(draft: Draft): Message {
  const text = draft.texts.filter((t) => t.trim() !== "").join("\n\n");
  const content: ContentBlock[] = [...draft.images.map(imageBlock), ...(text !== "" ? [{ text }] : [])];
  return { role: draft.role, content };
}

/**
 * The answer is every text block of the output message, in order, joined as written (a model that cites or thinks
 * splits one answer into several blocks); reasoning, tool use and other blocks are not for the sender. No text at
 * all is "" (the caller decides what an empty answer means). A 200 without an output message is malformed: a
 * proxy or a service fault, worth another try.
 */
export function converseAnswer(output: ConverseCommandOutput): { text: string } {
  const message = output.output?.message;
  if (message === undefined || !Array.isArray(message.content)) {
    throw new ModelError("retryable", "Bedrock Converse answered without an output message", "MalformedResponse");
  }
  const text = message.content.map((block) => (typeof block.text === "string" ? block.text : "")).join("");
  return { text };
}
