import type { RecordDeps } from "../outbound/process-reply-record.ts";
import { sqsClient } from "../queue/sqs-client.ts";
import { dynamoClient, requiredEnv } from "../store/dynamo-client.ts";
import { ReplyStore } from "../store/reply-store.ts";
import { accessStore, runtimeConfig, statusCallbackUrl, tableName, twilioFor } from "./common.ts";
import { log } from "./logger.ts";

let deps: RecordDeps | undefined;

export function outboundDeps(): RecordDeps {
  deps ??= {
    config: runtimeConfig(),
    replies: new ReplyStore(dynamoClient(), tableName()),
    access: accessStore(),
    twilioFor,
    statusCallbackUrl,
    now: Date.now,
    log,
    sqs: sqsClient(),
    dlqUrl: requiredEnv("SMS_REPLIES_DLQ_URL"),
    maxReceives: Number(process.env.SMS_MAX_RECEIVES ?? "5"),
  };
  return deps;
}
