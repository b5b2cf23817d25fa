import { TwilioApiError, TwilioTimeoutError } from "../twilio/api-errors.ts";
import type { TwilioMessage, TwilioRestClient } from "../twilio/rest-client.ts";
import { RetryLater } from "./delivery-errors.ts";

/**
 * How much earlier than the claim Twilio may date a message of ours: clock skew between us and Twilio, plus
 * date_created's whole-second resolution. Anything older was sent before the claim, so it is another reply's.
 */
export const RECONCILE_SKEW_MS = 5_000;
/** Newest messages to the recipient searched for an interrupted chunk (one page). */
const RECONCILE_PAGE_SIZE = 50;

export interface InterruptedChunkQuery {
  to: string;
  from?: string;
  body: string;
  /** When the interrupted attempt claimed the chunk. */
  claimAt: number;
  /** Sids this reply has already recorded: never the interrupted chunk. */
  recordedSids: readonly string[];
}

/**
 * Twilio has no idempotency key for Messages, so an interrupted send is looked up among the recipient's newest
 * messages. Returns the message that is that chunk, or undefined when it never went out (then it is resent).
 */
export async function findInterruptedChunk(
  twilio: { client: TwilioRestClient; refreshToken(): void },
  query: InterruptedChunkQuery,
): Promise<TwilioMessage | undefined> {
  let recent: TwilioMessage[];
  try {
    // No DateSent filter: Twilio leaves date_sent empty while a message is still queued, which is exactly the state
    // an interrupted send is likely in. The newest messages to this recipient are compared by date_created instead.
    recent = await twilio.client.listMessages({
      to: query.to,
      ...(query.from ? { from: query.from } : {}),
      pageSize: RECONCILE_PAGE_SIZE,
    });
  } catch (error) {
    // A rotated token is re-read on the next attempt (the send path re-reads it at once instead).
    if (error instanceof TwilioApiError && error.kind === "auth") twilio.refreshToken();
    if (error instanceof TwilioTimeoutError || (error instanceof TwilioApiError && error.kind !== "terminal")) {
      throw new RetryLater(`could not list messages to reconcile an interrupted chunk: ${error.message}`);
    }
    throw error;
  }
  return recent.find((message) => isInterruptedChunk(message, query));
}

/**
 * The same body, created no earlier than the claim (less the skew) and not already recorded by this reply. An
 * identical earlier reply to the same recipient (say `You said: "ok"` twice) is thereby never mistaken for ours.
 */
export function isInterruptedChunk(message: TwilioMessage, query: Omit<InterruptedChunkQuery, "to" | "from">): boolean {
  const created = message.dateCreated ? Date.parse(message.dateCreated) : Number.NaN;
  // A message without a readable creation date is not assumed to be ours: resending beats losing a chunk.
  return (
    message.body === query.body &&
    !query.recordedSids.includes(message.sid) &&
    created >= query.claimAt - RECONCILE_SKEW_MS
  );
}
