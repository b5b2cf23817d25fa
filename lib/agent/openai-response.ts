/**
 * Reads the answer out of a 2xx Chat Completions body. A body we cannot read is a retryable ModelError: a server
 * that answered garbage once (a proxy's error page, a half-loaded model) may answer properly on the next try.
 * Messages describe the shape, never the content.
 */
import { type ModelAnswer, ModelError } from "./chat-model.ts";
import { isRecord, parseJsonObject } from "./openai-json.ts";

export function readCompletion(bodyText: string, endpoint: string): ModelAnswer {
  const body = parseJsonObject(bodyText);
  if (!body) throw unreadable(endpoint, "a body that is not a JSON object", "invalid-json");
  const choices = body.choices;
  if (!Array.isArray(choices) || choices.length === 0) throw unreadable(endpoint, "no choices", "no-choices");
  const message = isRecord(choices[0]) ? choices[0].message : undefined;
  if (!isRecord(message)) throw unreadable(endpoint, "a choice without a message", "no-message");
  const text = contentText(message.content, message.refusal);
  if (text === undefined)
    throw unreadable(endpoint, `message content of type ${typeof message.content}`, "bad-content");
  return { text };
}

/**
 * A string as it is; an array of parts (some servers answer that way) as its text parts joined, other parts
 * (reasoning, images) left out; null or absent as OpenAI's `refusal` when it gave one, else "" (the model said
 * nothing, which is not an error). Undefined for anything else.
 */
function contentText(content: unknown, refusal: unknown): string | undefined {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return typeof refusal === "string" ? refusal : "";
  if (!Array.isArray(content)) return undefined;
  return content
    .flatMap((part) => (isRecord(part) && part.type === "text" && typeof part.text === "string" ? [part.text] : []))
    .join("");
}

function unreadable(endpoint: string, what: string, code: string): ModelError {
  return new ModelError("retryable", `${endpoint} answered 2xx with ${what}`, code);
}
