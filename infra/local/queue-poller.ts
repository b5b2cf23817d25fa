import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { LOCAL_REGION } from "./embedded-aws.ts";
import { localLambdaContext } from "./lambda-context.ts";

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

export interface PollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  functionName: string;
  handler: SqsHandler;
  onError?: (error: unknown) => void;
  /** Records per invocation, as the event source mapping's BatchSize (default 10). */
  batchSize?: number;
  /** Invocations at once (default 1). FIFO group locks keep one sender's turns in order across them. */
  concurrency?: number;
}

/**
 * What a Lambda event source mapping does: receive up to 10 messages, invoke the handler with an SQS event,
 * delete the records it did not report as failures. Failed ones reappear after the visibility timeout and, past
 * maxReceiveCount, the queue's redrive policy moves them to the DLQ.
 */
export function startQueuePoller(options: PollerOptions): { stop(): Promise<void> } {
  let running = true;
  const loop = async () => {
    while (running) {
      try {
        await pollOnce(options);
      } catch (error) {
        if (running) options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };
  const loops = Array.from({ length: Math.max(1, options.concurrency ?? 1) }, loop);
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

export async function pollOnce(options: PollerOptions): Promise<number> {
  const received = await options.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: options.queueUrl,
      MaxNumberOfMessages: options.batchSize ?? 10,
      WaitTimeSeconds: 1,
      MessageSystemAttributeNames: ["All"],
      MessageAttributeNames: ["All"],
    }),
  );
  const messages = received.Messages ?? [];
  if (messages.length === 0) return 0;
  const records = messages.map((message) => toRecord(message, options.queueUrl));
  let failed = new Set(records.map((record) => record.messageId));
  try {
    const response = await options.handler({ Records: records }, localLambdaContext(options.functionName));
    failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
  } catch (error) {
    options.onError?.(error);
  }
  const done = messages.filter((message) => !failed.has(message.MessageId ?? ""));
  if (done.length > 0) {
    await options.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: options.queueUrl,
        Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle ?? "" })),
      }),
    );
  }
  return messages.length;
}

function toRecord(message: Message, queueUrl: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  const queueName = queueUrl.split("/").at(-1) ?? "queue";
  return {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body: message.Body ?? "",
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? "1",
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? "local",
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      ...(attributes.MessageGroupId ? { MessageGroupId: attributes.MessageGroupId } : {}),
      ...(attributes.MessageDeduplicationId ? { MessageDeduplicationId: attributes.MessageDeduplicationId } : {}),
      ...(attributes.SequenceNumber ? { SequenceNumber: attributes.SequenceNumber } : {}),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        { dataType: value.DataType ?? "String", ...(value.StringValue ? { stringValue: value.StringValue } : {}) },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? "",
    eventSource: "aws:sqs",
    eventSourceARN: `arn:aws:sqs:${LOCAL_REGION}:000000000000:${queueName}`,
    awsRegion: LOCAL_REGION,
  };
}
