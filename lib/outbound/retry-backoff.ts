/**
 * Seconds a reply waits before its next attempt after `attempts` transient Twilio failures: 5, 15, 45, 135 ...
 * capped at 15 minutes. Without this a retry would wait the queue's whole visibility timeout (six times the
 * function timeout).
 */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(900, 5 * 3 ** Math.max(0, attempts - 1));
}
