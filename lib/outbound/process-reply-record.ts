import type { SQSClient } from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";
import { METRIC } from "../metrics/metrics.ts";
import { deadLetterRecord } from "../queue/dead-letter.ts";
import { parseQueueMessage, QueueMessageError, type Reply, replySchema } from "../queue/messages.ts";
import { type DeliveryOutcome, deliverReply, type OutboundDeps, replyLogFields } from "./deliver-reply.ts";
import { ClaimHeld, RetryLater, UndeliverableReply } from "./delivery-errors.ts";

export interface RecordDeps extends OutboundDeps {
  sqs: SQSClient;
  dlqUrl: string;
  /** Backoff before the next attempt, by the number of failed attempts so far (lib/outbound/retry-backoff.ts). */
  retryDelaySeconds: (attempts: number) => number;
  /** Failed attempts after which a still-failing reply is moved to the DLQ with its reason. */
  maxAttempts: number;
}

export type RecordOutcome =
  | DeliveryOutcome
  | { kind: "dead-lettered"; reason: string }
  /** A transient failure: the record stays on the queue and comes back after `delaySeconds`. */
  | { kind: "retry-later"; reason: string; delaySeconds: number };

/**
 * One replies-queue record. Returns what became of it: done (sent, refused, failed, dead-lettered) or to be
 * retried after a backoff. Throws only on an unexpected error (the record then returns after the queue's
 * visibility timeout, and the redrive policy is the backstop).
 */
export async function processReplyRecord(record: SQSRecord, deps: RecordDeps): Promise<RecordOutcome> {
  let reply: Reply;
  try {
    reply = parseQueueMessage(replySchema, record.body, "reply");
  } catch (error) {
    if (error instanceof QueueMessageError) return deadLetter(record, error.message, deps);
    throw error;
  }
  const outcome = await deliver(record, reply, deps);
  countOutcome(reply.account, outcome, deps);
  if (outcome.kind === "retry-later") {
    const { reason, delaySeconds } = outcome;
    deps.log.info("reply retried later", {
      ...replyLogFields(reply),
      event: "reply",
      outcome: outcome.kind,
      reason,
      delaySeconds,
    });
  }
  return outcome;
}

async function deliver(record: SQSRecord, reply: Reply, deps: RecordDeps): Promise<RecordOutcome> {
  try {
    return await deliverReply(reply, deps);
  } catch (error) {
    if (error instanceof UndeliverableReply) return deadLetter(record, error.message, deps, reply);
    if (error instanceof ClaimHeld) {
      const delaySeconds = error.retryAfterSeconds ?? deps.retryDelaySeconds(1);
      return { kind: "retry-later", reason: error.message, delaySeconds };
    }
    if (!(error instanceof RetryLater)) throw error;
    // Counted per reply, not by receives: a record skipped behind a failed one in its FIFO group did not fail.
    const attempts = await deps.replies.recordFailedAttempt(reply.account, reply.replyId, error.message, deps.now());
    if (attempts < deps.maxAttempts) {
      return { kind: "retry-later", reason: error.message, delaySeconds: deps.retryDelaySeconds(attempts) };
    }
    await deps.replies.resetAttempts(reply.account, reply.replyId);
    return deadLetter(record, `gave up after ${attempts} attempts: ${error.message}`, deps, reply);
  }
}

/** `reply` is absent when the record is not a reply at all (its fields cannot be trusted, so none are logged). */
async function deadLetter(record: SQSRecord, reason: string, deps: RecordDeps, reply?: Reply): Promise<RecordOutcome> {
  await deadLetterRecord(deps.sqs, deps.dlqUrl, record, reason);
  deps.log.error("reply moved to the dead-letter queue", {
    ...(reply ? replyLogFields(reply) : {}),
    event: "reply",
    outcome: "dead-lettered",
    messageId: record.messageId,
    reason,
  });
  return { kind: "dead-lettered", reason };
}

/** Replies that ended: sent, or not (refused, failed, dead-lettered). Retries and duplicates are not endings. */
function countOutcome(account: string, outcome: RecordOutcome, deps: RecordDeps): void {
  if (outcome.kind === "sent") deps.metrics.record({ name: METRIC.repliesSent, account });
  if (outcome.kind === "refused" || outcome.kind === "failed" || outcome.kind === "dead-lettered") {
    deps.metrics.record({ name: METRIC.repliesFailed, account, breakdown: { reason: outcome.kind } });
  }
}
