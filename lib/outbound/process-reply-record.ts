import { ChangeMessageVisibilityCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";
import { sendToDeadLetterQueue } from "../queue/dead-letter.ts";
import { parseQueueMessage, QueueMessageError, replySchema } from "../queue/messages.ts";
import {
  type DeliveryOutcome,
  deliverReply,
  type OutboundDeps,
  RetryLater,
  UndeliverableReply,
} from "./deliver-reply.ts";

export interface RecordDeps extends OutboundDeps {
  sqs: SQSClient;
  /** The replies queue, for setting a failed record's backoff. */
  queueUrl: string;
  dlqUrl: string;
  /** Backoff before the next attempt, by receive count (lib/outbound/retry-backoff.ts). */
  retryDelaySeconds: (receiveCount: number) => number;
  /** Receives after which a still-failing reply is moved to the DLQ with its reason. */
  maxReceives: number;
}

export type RecordOutcome = DeliveryOutcome | { kind: "dead-lettered"; reason: string };

/**
 * One replies-queue record. Throwing marks it as a batch item failure (retried after the visibility timeout);
 * returning means it is done, including when it was moved to the DLQ.
 */
export async function processReplyRecord(record: SQSRecord, deps: RecordDeps): Promise<RecordOutcome> {
  const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? "1");
  try {
    const reply = parseQueueMessage(replySchema, record.body, "reply");
    return await deliverReply(reply, deps);
  } catch (error) {
    const poison = error instanceof QueueMessageError || error instanceof UndeliverableReply;
    const exhausted = error instanceof RetryLater && receiveCount >= deps.maxReceives;
    if (!poison && !exhausted) {
      if (error instanceof RetryLater) await postpone(record, receiveCount, deps);
      throw error;
    }
    const reason = poison
      ? (error as Error).message
      : `gave up after ${receiveCount} receives: ${(error as Error).message}`;
    await sendToDeadLetterQueue(deps.sqs, {
      dlqUrl: deps.dlqUrl,
      body: record.body,
      groupId: record.attributes.MessageGroupId ?? "unknown",
      dedupeId: record.attributes.MessageDeduplicationId ?? record.messageId,
      reason,
      receiveCount,
    });
    deps.log.error("reply moved to the dead-letter queue", { messageId: record.messageId, reason });
    return { kind: "dead-lettered", reason };
  }
}

/** Sets when the failed record comes back; if that call fails too, the queue's visibility timeout still applies. */
async function postpone(record: SQSRecord, receiveCount: number, deps: RecordDeps): Promise<void> {
  try {
    await deps.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: deps.queueUrl,
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: deps.retryDelaySeconds(receiveCount),
      }),
    );
  } catch (error) {
    deps.log.warn("could not set the retry backoff", { messageId: record.messageId, error: String(error) });
  }
}
