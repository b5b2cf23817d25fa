/**
 * A signed webhook that is not what Twilio sends, or lacks what we need: answered 400 with the field named. `field`
 * is a fixed label for the log (a Twilio parameter name, or a kind of problem): the message itself may quote what
 * was sent, and a re-cut's parameter names are slices of the sender's text, which never goes to the logs.
 */
export class WebhookInputError extends Error {
  override name = "WebhookInputError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A name or value from the request, quoted and cut short so an error message stays one readable line. */
export function quoted(text: string, max = 40): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
