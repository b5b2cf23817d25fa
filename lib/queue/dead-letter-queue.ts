import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { fifoId } from "./dedupe-id.ts";
import { queueDepth } from "./queue-depth.ts";

/** One message waiting in a dead-letter queue, as the operator's tools see it. */
export interface DeadLetter {
  /** The SQS message id in the dead-letter queue (what `smsctl dlq redrive --id` names). */
  id: string;
  body: string;
  groupId: string;
  dedupeId: string;
  /** Why it is there: the attribute the channel sets; absent when SQS's own redrive moved it after many receives. */
  reason?: string;
  /** When it entered the dead-letter queue (ms). */
  sentAt: number;
  /** Held while the operator's command runs; released (visible again) or deleted when it ends. */
  receiptHandle: string;
}

/** How long messages stay hidden while one command reads them: long enough for that command, no longer. */
const HOLD_SECONDS = 30;

/**
 * A FIFO dead-letter queue and the queue its messages came from. Reading is a receive that hides what it read,
 * so every message is seen once per pass; a FIFO queue hands out at most one batch per group at a time, so a pass
 * sees up to 10 messages of each group (the order they will be redriven in).
 */
export class DeadLetterQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly url: string,
    private readonly sourceUrl: string,
  ) {}

  async depth(): Promise<number> {
    return queueDepth(this.sqs, this.url);
  }

  /** Up to `limit` messages, hidden until `release` or `remove` (or for HOLD_SECONDS). */
  async hold(limit: number): Promise<DeadLetter[]> {
    const held: DeadLetter[] = [];
    while (held.length < limit) {
      const { Messages = [] } = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.url,
          MaxNumberOfMessages: Math.min(10, limit - held.length),
          VisibilityTimeout: HOLD_SECONDS,
          // Short polling samples a few of SQS's servers and may answer empty while messages wait; a second of
          // long polling asks them all.
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ["All"],
          MessageAttributeNames: ["All"],
        }),
      );
      if (Messages.length === 0) break;
      held.push(...Messages.flatMap(toDeadLetter));
    }
    return held;
  }

  /** Visible again at once, for the next reader. */
  async release(letters: readonly DeadLetter[]): Promise<void> {
    for (let start = 0; start < letters.length; start += 10) {
      const batch = letters.slice(start, start + 10);
      await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.url,
          Entries: batch.map((letter, index) => ({
            Id: String(index),
            ReceiptHandle: letter.receiptHandle,
            VisibilityTimeout: 0,
          })),
        }),
      );
    }
  }

  /**
   * Back on its own queue in its FIFO group, then deleted here. A fresh deduplication id, because SQS would drop a
   * resend of the original id inside its five-minute window; the consumers' own keys (replyId, turnId) are what
   * keep a redriven reply from sending twice and an answered turn from being answered again.
   */
  async redrive(letter: DeadLetter, nowMs: number): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.sourceUrl,
        MessageBody: letter.body,
        MessageGroupId: letter.groupId,
        MessageDeduplicationId: fifoId(`redrive:${nowMs}:${letter.dedupeId}`),
      }),
    );
    await this.remove(letter);
  }

  async remove(letter: DeadLetter): Promise<void> {
    await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.url, ReceiptHandle: letter.receiptHandle }));
  }
}

function toDeadLetter(message: Message): DeadLetter[] {
  const { MessageId, ReceiptHandle, Body, Attributes = {}, MessageAttributes = {} } = message;
  if (!MessageId || !ReceiptHandle || Body === undefined) return [];
  const reason = MessageAttributes.reason?.StringValue;
  return [
    {
      id: MessageId,
      body: Body,
      groupId: Attributes.MessageGroupId ?? "dead-letters",
      dedupeId: Attributes.MessageDeduplicationId ?? MessageId,
      ...(reason ? { reason } : {}),
      sentAt: Number(Attributes.SentTimestamp ?? 0),
      receiptHandle: ReceiptHandle,
    },
  ];
}
