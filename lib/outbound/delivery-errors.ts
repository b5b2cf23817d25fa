/**
 * A transient failure: the reply stays on the queue and is retried from its first unsent chunk. `ambiguous` says
 * Twilio may have accepted the chunk anyway (a timeout, a 5xx): only then does the retry look for it at Twilio
 * before sending it again. After a definite refusal (429, auth) it is simply sent again.
 */
export class RetryLater extends Error {
  override name = "RetryLater";
  constructor(
    message: string,
    readonly ambiguous = false,
  ) {
    super(message);
  }
}

/**
 * Another attempt holds the lease on this reply's next chunk. Nothing failed, so it does not count as an attempt;
 * `retryAfterSeconds` is when that lease goes stale, if known.
 */
export class ClaimHeld extends RetryLater {
  override name = "ClaimHeld";
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** A message that can never be processed (unknown account): it belongs in the dead-letter queue at once. */
export class UndeliverableReply extends Error {
  override name = "UndeliverableReply";
}
