/** A signed webhook that is not what Twilio sends, or lacks what we need: answered 400 with the field named. */
export class WebhookInputError extends Error {
  override name = "WebhookInputError";
}

/** A name or value from the request, quoted and cut short so an error message stays one readable line. */
export function quoted(text: string, max = 40): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
