import { QueuePublisher } from "../queue/publisher.ts";
import { sqsClient } from "../queue/sqs-client.ts";
import { memo, requiredEnv } from "./memo.ts";

export const publisher = memo(
  () =>
    new QueuePublisher(sqsClient(), {
      turns: requiredEnv("SMS_TURNS_QUEUE_URL"),
      replies: requiredEnv("SMS_REPLIES_QUEUE_URL"),
    }),
);
