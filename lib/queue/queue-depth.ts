import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";

/** Messages waiting in a queue, visible or in flight (for a DLQ: what the operator still has to look at). */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const result = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  const attributes = result.Attributes ?? {};
  return (
    Number(attributes.ApproximateNumberOfMessages ?? 0) + Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}
