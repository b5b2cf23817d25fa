import { QueuePublisher } from "../queue/publisher.ts";
import { sqs } from "./aws-clients.ts";
import { memo, requiredEnv } from "./memo.ts";

export const publisher = memo(
  () =>
    new QueuePublisher(sqs(), {
      turns: requiredEnv("SMS_TURNS_QUEUE_URL"),
      replies: requiredEnv("SMS_REPLIES_QUEUE_URL"),
    }),
);
