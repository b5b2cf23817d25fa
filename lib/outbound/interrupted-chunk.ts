import type { ChunkOwner } from "../store/status-store.ts";
import { TwilioApiError, TwilioTimeoutError } from "../twilio/api-errors.ts";
import type { TwilioMessage } from "../twilio/rest-client.ts";
import { RetryLater } from "./delivery-errors.ts";
import type { AccountTwilio, MessageLedger } from "./outbound-deps.ts";

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

export interface AdoptionQuery extends InterruptedChunkQuery {
  /** The chunk whose send was interrupted. */
  owner: ChunkOwner;
  nowMs: number;
}

/**
 * Twilio has no idempotency key for Messages, so an interrupted send is looked up among the recipient's newest
 * messages and taken as this chunk's only if no other reply or chunk owns it: an identical reply sent a moment
 * earlier ("ok, noted" twice) owns its message from the moment Twilio accepted it. The adoption is a conditional
 * write, so two attempts can never both take one message. Returns the adopted message, or undefined when the
 * chunk never went out (then it is resent).
 */
export async function adoptInterruptedChunk(
  twilio: AccountTwilio,
  ledger: MessageLedger,
  query: AdoptionQuery,
): Promise<TwilioMessage | undefined> {
  const candidates = await findInterruptedChunkCandidates(twilio, query);
  if (candidates.length === 0) return undefined;
  const owners = await ledger.owners(candidates.map((message) => message.sid));
  const ownedHere = (message: TwilioMessage) => isSameOwner(owners.get(message.sid), query.owner);
  // A message already marked as this chunk's (its sid was not recorded: a crash) before an unowned one.
  const adoptable = [...candidates.filter(ownedHere), ...candidates.filter((message) => !owners.has(message.sid))];
  for (const message of adoptable) {
    const errorCode = message.errorCode === null ? {} : { errorCode: String(message.errorCode) };
    const record = { messageSid: message.sid, owner: query.owner, status: message.status, nowMs: query.nowMs };
    if (await ledger.recordSend({ ...record, ...errorCode })) return message;
  }
  return undefined;
}

/** The recipient's newest messages that could be the interrupted chunk, newest first. */
export async function findInterruptedChunkCandidates(
  twilio: AccountTwilio,
  query: InterruptedChunkQuery,
): Promise<TwilioMessage[]> {
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
  return recent.filter((message) => isInterruptedChunk(message, query));
}

/**
 * The same body, created no earlier than the claim (less the skew) and not already recorded by this reply. The
 * window keeps out older messages that carry no owner (sent before owners were recorded, or from outside the
 * channel); ownership tells apart the ones inside it.
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

function isSameOwner(a: ChunkOwner | undefined, b: ChunkOwner): boolean {
  return a !== undefined && a.accountId === b.accountId && a.replyId === b.replyId && a.chunk === b.chunk;
}
