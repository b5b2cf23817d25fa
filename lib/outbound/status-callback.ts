import { type ConnectionOverrides, withConnectionOverrides } from "../twilio/connection-overrides.ts";

/**
 * Twilio tries a status callback once or twice by default, so a short outage of the webhook would lose statuses.
 * It retries these up to 5 times (within its 15 s total) on a 5xx, a connection it could not open, or an answer
 * slower than 5 s (ample for the inbound function's one write, cold start included). Never on a 4xx: ours are
 * deliberate refusals (bad signature, another account) that a retry cannot change. A retried callback that did
 * get through is recorded as a duplicate.
 */
export const STATUS_CALLBACK_OVERRIDES: ConnectionOverrides = { rp: ["5xx", "ct", "rt"], rt: 5_000, rc: 5 };

/** The StatusCallback for a send: the account's webhook URL with the retry overrides in its fragment. */
export function statusCallbackWithRetries(webhookUrl: string): string {
  return withConnectionOverrides(webhookUrl, STATUS_CALLBACK_OVERRIDES);
}
