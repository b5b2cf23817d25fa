import { Duration } from "aws-cdk-lib";
import * as sqs from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { VISIBILITY_PER_TIMEOUT } from "../../lib/config/turn-timing.ts";

/** A FIFO queue and its FIFO DLQ, encrypted, TLS only, deduplicating on the producers' explicit ids. */
export function fifoQueueWithDlq(
  scope: Construct,
  name: string,
  consumerTimeout: Duration,
  maxReceiveCount: number,
): [sqs.Queue, sqs.Queue] {
  const common = { fifo: true, encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true } as const;
  const dlq = new sqs.Queue(scope, `${name}Dlq`, { ...common, retentionPeriod: Duration.days(14) });
  const queue = new sqs.Queue(scope, name, {
    ...common,
    // Producers send explicit MessageDeduplicationIds (MessageSid, replyId), so body hashing would only hide bugs.
    contentBasedDeduplication: false,
    deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
    fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
    visibilityTimeout: Duration.seconds(consumerTimeout.toSeconds() * VISIBILITY_PER_TIMEOUT),
    deadLetterQueue: { queue: dlq, maxReceiveCount },
  });
  return [queue, dlq];
}
