/** Twilio message statuses after which nothing else happens to the message. */
export const TERMINAL_STATUSES = new Set(["delivered", "undelivered", "failed", "canceled", "read"]);
export function isTerminalStatus(status: string): boolean {
  return TERMINAL_STATUSES.has(status);
}

/**
 * Terminal statuses that say the message did not arrive. Nothing replaces them, not even `read` (a read receipt
 * after a failure is a contradiction the operator should see, so it is flagged as a conflict instead).
 */
export const FAILED_STATUSES = new Set(["undelivered", "failed", "canceled"]);

/**
 * An outbound message's progress through Twilio, so a late callback never replaces a newer status: accepted (a
 * Messaging Service still picks the sender) or scheduled, then queued, sending, sent, one terminal outcome, and
 * `read` (WhatsApp, RCS) after delivered.
 */
const RANKS: Readonly<Record<string, number>> = {
  accepted: 1,
  scheduled: 1,
  queued: 2,
  sending: 3,
  sent: 4,
  delivered: 5,
  undelivered: 5,
  failed: 5,
  canceled: 5,
  read: 6,
};

/**
 * Statuses outside that order (inbound `receiving`/`received`, `partially_delivered`, anything Twilio adds later)
 * rank 0: stored only while nothing else is known, replaced by any known status, never replacing one.
 */
export const UNKNOWN_STATUS_RANK = 0;

export function statusRank(status: string): number {
  return Object.hasOwn(RANKS, status) ? (RANKS[status] ?? UNKNOWN_STATUS_RANK) : UNKNOWN_STATUS_RANK;
}
