import { ChangeMessageVisibilityCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";

/**
 * A port for lib/outbound: makes a received record visible again `delaySeconds` from now, instead of after the
 * queue's visibility timeout.
 */
export function visibilityPostponer(
  sqs: SQSClient,
  queueUrl: string,
): (record: SQSRecord, delaySeconds: number) => Promise<void> {
  return async (record, delaySeconds) => {
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: delaySeconds,
      }),
    );
  };
}
