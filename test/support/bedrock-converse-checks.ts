/**
 * The request checks the Bedrock stand-in makes on a Converse body, as the real service does: a conversation that
 * starts with the user and alternates roles, content blocks that are valid text or image blocks, a system prompt of
 * text blocks. Quoted messages are Bedrock's own where they are known ("A conversation must alternate..."); the
 * rest follow its "1 validation error detected" style. Only text and image blocks are modelled: the connector sends
 * nothing else, so anything else is refused rather than waved through.
 */

export interface ConverseBody {
  messages: Array<{ role: "user" | "assistant"; content: ContentBlockJson[] }>;
  system?: Array<{ text: string }>;
  inferenceConfig?: { maxTokens?: number };
}

export type ContentBlockJson =
  | { text: string }
  | { image: { format: "png" | "jpeg" | "gif" | "webp"; source: { bytes: string } } };

/** https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ImageBlock.html and API_runtime_Message.html */
const IMAGE_FORMATS = ["png", "jpeg", "gif", "webp"];
/** 3.75 MB read as decimal megabytes, the stricter reading (lib/agent/media-limits.ts reads it so too). */
const MAX_IMAGE_BYTES = 3_750_000;
const MAX_IMAGES_PER_MESSAGE = 20;
/** Strict base64: what a JSON blob member must hold. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The ValidationException message for the first problem, or null for a body Bedrock would accept. */
export function converseProblem(body: unknown): string | null {
  if (!isRecord(body)) return "Malformed input request: the body is not a JSON object.";
  return messagesProblem(body.messages) ?? systemProblem(body.system) ?? inferenceConfigProblem(body.inferenceConfig);
}

function messagesProblem(messages: unknown): string | null {
  if (!Array.isArray(messages) || messages.length === 0) {
    return "1 validation error detected: Value at 'messages' failed to satisfy constraint: Member must not be empty";
  }
  for (const [i, message] of messages.entries()) {
    if (!isRecord(message)) return constraint(`messages.${i + 1}.member`, "Member must be a Message object");
    if (message.role !== "user" && message.role !== "assistant") {
      return constraint(
        `messages.${i + 1}.member.role`,
        "Member must satisfy enum value set: [user, assistant]",
        message.role,
      );
    }
    if (i === 0 && message.role !== "user") {
      return "A conversation must start with a user message. Try again with a conversation that starts with a user message.";
    }
    if (i > 0 && (messages[i - 1] as Record<string, unknown>).role === message.role) {
      return "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.";
    }
    const problem = contentProblem(message.content, i);
    if (problem) return problem;
  }
  return null;
}

function contentProblem(content: unknown, i: number): string | null {
  if (!Array.isArray(content) || content.length === 0) {
    return `The content field in the Message object at messages.${i} is empty. Add a ContentBlock object to the content field and try again.`;
  }
  let images = 0;
  for (const [j, block] of content.entries()) {
    const keys = isRecord(block) ? Object.keys(block) : [];
    const at = `messages.${i}.content.${j}`;
    if (!isRecord(block) || keys.length !== 1) {
      return `The ContentBlock object at ${at} must set exactly one member.`;
    }
    if (keys[0] === "text") {
      if (typeof block.text !== "string" || block.text.trim() === "") {
        return `The text field in the ContentBlock object at ${at} is blank. Add text to the text field, and try again.`;
      }
    } else if (keys[0] === "image") {
      images += 1;
      const problem = imageProblem(block.image, at);
      if (problem) return problem;
    } else {
      return `The stand-in does not model the ${keys[0]} member of the ContentBlock object at ${at}.`;
    }
  }
  return images > MAX_IMAGES_PER_MESSAGE
    ? `Too many images in messages.${i}: at most ${MAX_IMAGES_PER_MESSAGE} are allowed.`
    : null;
}

function imageProblem(image: unknown, at: string): string | null {
  if (!isRecord(image) || !IMAGE_FORMATS.includes(String(image.format))) {
    return constraint(
      `${at}.image.format`,
      "Member must satisfy enum value set: [png, jpeg, gif, webp]",
      isRecord(image) ? image.format : undefined,
    );
  }
  const source = image.source;
  const bytes = isRecord(source) && Object.keys(source).length === 1 ? source.bytes : undefined;
  if (typeof bytes !== "string" || bytes === "" || !BASE64.test(bytes)) {
    return `The image source at ${at}.image.source must hold the image bytes, base64-encoded.`;
  }
  if (Buffer.byteLength(bytes, "base64") > MAX_IMAGE_BYTES) {
    return `The image at ${at} exceeds the maximum size of 3.75 MB.`;
  }
  return null;
}

function systemProblem(system: unknown): string | null {
  if (system === undefined) return null;
  if (!Array.isArray(system)) return constraint("system", "Member must be a list of SystemContentBlock objects");
  for (const [i, block] of system.entries()) {
    if (!isRecord(block) || Object.keys(block).length !== 1 || typeof block.text !== "string") {
      return `The SystemContentBlock object at system.${i} must hold one text member.`;
    }
    if (block.text.trim() === "") {
      return `The text field in the SystemContentBlock object at system.${i} is blank. Add text to the text field, and try again.`;
    }
  }
  return null;
}

function inferenceConfigProblem(config: unknown): string | null {
  if (config === undefined) return null;
  if (!isRecord(config)) return constraint("inferenceConfig", "Member must be an InferenceConfiguration object");
  const maxTokens = config.maxTokens;
  if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && (maxTokens as number) >= 1)) {
    return constraint("inferenceConfig.maxTokens", "Member must have value greater than or equal to 1", maxTokens);
  }
  return null;
}

function constraint(path: string, rule: string, value?: unknown): string {
  const shown = value === undefined ? "" : ` '${String(value)}'`;
  return `1 validation error detected: Value${shown} at '${path}' failed to satisfy constraint: ${rule}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
