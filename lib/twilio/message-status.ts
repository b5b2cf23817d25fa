/** Twilio message statuses after which nothing else happens to the message. */
export const TERMINAL_STATUSES = new Set(["delivered", "undelivered", "failed", "canceled", "read"]);

export const KNOWN_STATUSES = new Set([
  "queued",
  "sending",
  "sent",
  "accepted",
  "scheduled",
  "receiving",
  "received",
  "partially_delivered",
  ...TERMINAL_STATUSES,
]);

export function isTerminalStatus(status: string): boolean {
  return TERMINAL_STATUSES.has(status);
}
