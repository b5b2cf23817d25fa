import { scrubErrorText } from "../twilio/api-errors.ts";
import type { ModelRequest } from "./chat-model.ts";

/** How much of a server's own error message is quoted: enough to name the problem, short enough for a log line. */
export const MAX_QUOTED_CHARS = 200;

/** A server's error text for a ModelError: one line, without any of `secrets` (the key, the conversation), cut short. */
export function quoteServerText(text: string, secrets: readonly string[]): string {
  const oneLine = [...scrubErrorText(text, secrets).replace(/\s+/g, " ").trim()];
  return oneLine.length > MAX_QUOTED_CHARS ? `${oneLine.slice(0, MAX_QUOTED_CHARS - 1).join("")}…` : oneLine.join("");
}

/** What a model error must never quote back: every text of the request. */
export function conversationTexts(request: ModelRequest): string[] {
  return [request.system, ...request.history.map((message) => message.text), request.message.text, request.user];
}
