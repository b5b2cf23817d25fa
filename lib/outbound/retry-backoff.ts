/**
 * Seconds a reply waits before its next attempt after a transient Twilio failure: 5, 15, 45, 135 ... capped at
 * 15 minutes. Without this a retry would wait the queue's whole visibility timeout (six times the function timeout).
 */
export function retryDelaySeconds(receiveCount: number): number {
  return Math.min(900, 5 * 3 ** Math.max(0, receiveCount - 1));
}
