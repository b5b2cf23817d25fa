import type { RecordDeps } from "../outbound/process-reply-record.ts";
import { retryDelaySeconds } from "../outbound/retry-backoff.ts";
import { sqsClient } from "../queue/sqs-client.ts";
import { dynamoClient } from "../store/dynamo-client.ts";
import { OptOutStore } from "../store/opt-out-store.ts";
import { ReplyStore } from "../store/reply-store.ts";
import { log } from "./logger.ts";
import { requiredEnv } from "./memo.ts";
import { runtimeConfig, tableName } from "./runtime-env.ts";
import { statusCallbackUrl, twilioFor } from "./twilio.ts";

let deps: RecordDeps | undefined;

export function outboundDeps(): RecordDeps {
  deps ??= {
    config: runtimeConfig(),
    replies: new ReplyStore(dynamoClient(), tableName()),
    optOuts: new OptOutStore(dynamoClient(), tableName()),
    twilioFor,
    statusCallbackUrl,
    now: Date.now,
    log,
    sqs: sqsClient(),
    queueUrl: requiredEnv("SMS_REPLIES_QUEUE_URL"),
    dlqUrl: requiredEnv("SMS_REPLIES_DLQ_URL"),
    retryDelaySeconds,
    maxReceives: Number(process.env.SMS_MAX_RECEIVES ?? "5"),
  };
  return deps;
}
