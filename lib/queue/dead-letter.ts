import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";
import { fifoId } from "./dedupe-id.ts";
import { toAttributeText } from "./sqs-text.ts";

/**
 * Moves a message to its FIFO dead-letter queue with the reason as a message attribute, so the operator sees why
 * (SQS's own redrive carries no reason). The redrive policy stays as the backstop for crashes.
 */
export async function sendToDeadLetterQueue(
  sqs: SQSClient,
  input: { dlqUrl: string; body: string; groupId: string; dedupeId: string; reason: string; receiveCount: number },
): Promise<void> {
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: input.dlqUrl,
      MessageBody: input.body,
      MessageGroupId: input.groupId,
      MessageDeduplicationId: fifoId(`dlq:${input.dedupeId}`),
      MessageAttributes: {
        reason: { DataType: "String", StringValue: toAttributeText(input.reason.slice(0, 1000)) },
        receiveCount: { DataType: "Number", StringValue: String(input.receiveCount) },
      },
    }),
  );
}

/** A received record moved to `dlqUrl` as it is, keeping its FIFO group and dedupe id, with the reason. */
export async function deadLetterRecord(
  sqs: SQSClient,
  dlqUrl: string,
  record: Pick<SQSRecord, "body" | "messageId" | "attributes">,
  reason: string,
): Promise<void> {
  await sendToDeadLetterQueue(sqs, {
    dlqUrl,
    body: record.body,
    groupId: record.attributes.MessageGroupId ?? "unknown",
    dedupeId: record.attributes.MessageDeduplicationId ?? record.messageId,
    reason,
    receiveCount: Number(record.attributes.ApproximateReceiveCount ?? "1"),
  });
}
