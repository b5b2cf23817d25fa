/**
 * What the OpenAI stand-in demands of a Chat Completions request: OpenAI's own rules (known parameters, roles,
 * content parts, Bearer auth) plus the channel's contract (one system message first, then the conversation, ending
 * with the user; the `user` field set; images inline as data URLs). A request that breaks one gets OpenAI's error
 * shape and a 4xx, so a test that sends a bad request fails loudly instead of passing on a lenient server.
 */
import type { IncomingHttpHeaders } from "node:http";
import { isRecord } from "../../lib/agent/openai-json.ts";

export interface StandInTextPart {
  type: "text";
  text: string;
}
export interface StandInImagePart {
  type: "image_url";
  image_url: { url: string; detail?: string };
}
export type StandInContentPart = StandInTextPart | StandInImagePart;

export interface StandInChatMessage {
  role: "system" | "user" | "assistant";
  content: string | StandInContentPart[];
}

/** A request that passed every check. */
export interface StandInChatRequest {
  model: string;
  messages: StandInChatMessage[];
  user: string;
  max_tokens?: number;
  [parameter: string]: unknown;
}

/** OpenAI's error object, with the HTTP status it comes with. */
export interface StandInRejection {
  status: number;
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export interface StandInExpectations {
  path: string;
  model: string;
  /** When set, `Authorization: Bearer <apiKey>` is required. */
  apiKey?: string;
}

/** Chat Completions parameters OpenAI knows; anything else is refused as OpenAI refuses it. */
const KNOWN_PARAMETERS = new Set([
  "model",
  "messages",
  "user",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "n",
  "stop",
  "seed",
  "stream",
  "stream_options",
  "presence_penalty",
  "frequency_penalty",
  "logit_bias",
  "logprobs",
  "top_logprobs",
  "response_format",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "metadata",
  "store",
  "service_tier",
  "reasoning_effort",
  "safety_identifier",
  "prompt_cache_key",
]);
const MESSAGE_KEYS = new Set(["role", "content", "name"]);
const IMAGE_DATA_URL = /^data:image\/(?:jpeg|png|gif|webp);base64,([A-Za-z0-9+/]+={0,2})$/;

/** Method, path, content type and credentials: checked before the body is read. */
export function checkEnvelope(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  expected: StandInExpectations,
): StandInRejection | null {
  if (path !== expected.path) return reject(404, `Invalid URL (${method} ${path})`, null, null);
  if (method !== "POST") return reject(405, `Method ${method} not allowed on ${path}`, null, null);
  if (expected.apiKey !== undefined && headers.authorization !== `Bearer ${expected.apiKey}`) {
    const message = headers.authorization
      ? "Incorrect API key provided."
      : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.";
    return { status: 401, message, type: "invalid_request_error", param: null, code: "invalid_api_key" };
  }
  const mediaType = (headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") {
    return reject(400, `Content-Type must be application/json, not ${headers["content-type"] ?? "absent"}`, null, null);
  }
  return null;
}

export type CheckedRequest =
  | { chat: StandInChatRequest; rejection: null }
  | { chat: null; rejection: StandInRejection };

/** The parsed body, or why it is refused. */
export function checkChatBody(json: unknown, model: string): CheckedRequest {
  const rejection = bodyProblem(json, model);
  return rejection ? { chat: null, rejection } : { chat: json as StandInChatRequest, rejection: null };
}

function bodyProblem(json: unknown, model: string): StandInRejection | null {
  if (!isRecord(json)) return reject(400, "We could not parse the JSON body of your request.", null, null);
  const unknown = Object.keys(json).find((key) => !KNOWN_PARAMETERS.has(key));
  if (unknown !== undefined) return reject(400, `Unrecognized request argument supplied: ${unknown}`, unknown, null);
  if (typeof json.model !== "string") return reject(400, "you must provide a model parameter", "model", null);
  if (json.model !== model) {
    const message = `The model \`${json.model}\` does not exist or you do not have access to it.`;
    return { status: 404, message, type: "invalid_request_error", param: "model", code: "model_not_found" };
  }
  if (json.stream === true) return reject(400, "the stand-in does not stream; send stream: false", "stream", null);
  if (typeof json.user !== "string" || json.user === "") {
    return reject(400, "the channel always sends `user` (sms:<account>:<E.164>)", "user", null);
  }
  const maxTokens = json.max_tokens;
  if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && (maxTokens as number) > 0)) {
    return reject(400, `Invalid 'max_tokens': expected a positive integer`, "max_tokens", "invalid_value");
  }
  return messagesProblem(json.messages);
}

function messagesProblem(messages: unknown): StandInRejection | null {
  if (!Array.isArray(messages) || messages.length === 0) {
    return reject(400, "'messages' must be a non-empty array", "messages", null);
  }
  for (const [index, message] of messages.entries()) {
    const problem = messageProblem(message, index, messages.length);
    if (problem) return reject(400, problem, `messages.[${index}]`, null);
  }
  return null;
}

/** Exactly one system message, first; then user and assistant messages; the last one the user's. */
function messageProblem(message: unknown, index: number, count: number): string | null {
  if (!isRecord(message)) return `messages[${index}] must be an object`;
  const extra = Object.keys(message).find((key) => !MESSAGE_KEYS.has(key));
  if (extra !== undefined) return `Additional properties are not allowed ('${extra}' was unexpected)`;
  const { role, content } = message;
  if (index === 0 && role !== "system") return `messages[0] must be the system message, not ${String(role)}`;
  if (index > 0 && role !== "user" && role !== "assistant") {
    return `messages[${index}].role must be user or assistant, not ${String(role)}`;
  }
  if (index === count - 1 && role !== "user") return `the last message must be the user's, not ${String(role)}`;
  if (role !== "user" || typeof content === "string") {
    return typeof content === "string" ? null : `messages[${index}].content must be a string`;
  }
  if (!Array.isArray(content) || content.length === 0) {
    return `messages[${index}].content must be a string or a non-empty array of parts`;
  }
  const bad = content.findIndex((part) => partProblem(part) !== null);
  return bad < 0 ? null : `messages[${index}].content[${bad}]: ${partProblem(content[bad])}`;
}

function partProblem(part: unknown): string | null {
  if (!isRecord(part)) return "a part must be an object";
  if (part.type === "text") return typeof part.text === "string" ? null : "a text part needs a string text";
  if (part.type !== "image_url") return `unsupported part type ${String(part.type)}`;
  const url = isRecord(part.image_url) ? part.image_url.url : undefined;
  const data = typeof url === "string" ? IMAGE_DATA_URL.exec(url)?.[1] : undefined;
  if (data === undefined) return "image_url.url must be a base64 data URL of a jpeg, png, gif or webp image";
  // Canonical base64 only: what decodes and encodes back to itself.
  return Buffer.from(data, "base64").toString("base64") === data ? null : "image_url.url holds invalid base64";
}

function reject(status: number, message: string, param: string | null, code: string | null): StandInRejection {
  return { status, message, type: "invalid_request_error", param, code };
}
