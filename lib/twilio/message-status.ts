/** Twilio message statuses after which nothing else happens to the message. */
export const TERMINAL_STATUSES = new Set(["delivered", "undelivered", "failed", "canceled", "read"]);
export function isTerminalStatus(status: string): boolean {
  return TERMINAL_STATUSES.has(status);
}
