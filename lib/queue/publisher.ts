import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { fifoId, replyGroupId, turnGroupId } from "./dedupe-id.ts";
import type { Reply, Turn } from "./messages.ts";
import { toQueueBody } from "./sqs-text.ts";

export interface QueueUrls {
  turns: string;
  replies: string;
}

/**
 * Writes the two FIFO contracts. Dedupe ids make a retried send (Twilio redelivering a webhook, a Lambda retry)
 * collapse into one message within SQS's five-minute window. Bodies carry any Unicode (see sqs-text.ts).
 */
export class QueuePublisher {
  constructor(
    private readonly sqs: SQSClient,
    private readonly urls: QueueUrls,
  ) {}

  async sendTurn(turn: Turn): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.urls.turns,
        MessageBody: toQueueBody(turn),
        MessageGroupId: turnGroupId(turn.account, turn.from),
        MessageDeduplicationId: fifoId(turn.turnId),
      }),
    );
  }

  async sendReply(reply: Reply): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.urls.replies,
        MessageBody: toQueueBody(reply),
        MessageGroupId: replyGroupId(reply.account, reply.to),
        MessageDeduplicationId: fifoId(reply.replyId),
      }),
    );
  }
}
