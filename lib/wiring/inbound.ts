import type { WebhookDeps } from "../inbound/handle-webhook.ts";
import { noOwnerTopic } from "../inbound/owner-notice.ts";
import { lambdaCredentials, snsOwnerTopic } from "../notify/sns-owner-topic.ts";
import { InboundReceiptStore } from "../store/inbound-receipt-store.ts";
import { OptOutStore } from "../store/opt-out-store.ts";
import { StatsStore } from "../store/stats-store.ts";
import { StatusStore } from "../store/status-store.ts";
import { dynamo } from "./aws-clients.ts";
import { log } from "./logger.ts";
import { metrics } from "./metrics.ts";
import { publisher } from "./queues.ts";
import { runtimeConfig, stageBaseUrl, tableName } from "./runtime-env.ts";
import { accessStore } from "./stores.ts";
import { secrets } from "./twilio.ts";

let deps: WebhookDeps | undefined;

export function inboundDeps(): WebhookDeps {
  deps ??= {
    config: runtimeConfig(),
    stageBaseUrl: stageBaseUrl(),
    secrets: secrets(),
    statuses: new StatusStore(dynamo(), tableName()),
    access: accessStore(),
    optOuts: new OptOutStore(dynamo(), tableName()),
    receipts: new InboundReceiptStore(dynamo(), tableName()),
    stats: new StatsStore(dynamo(), tableName()),
    queues: publisher(),
    // The stack's topic on AWS; the local gateway has none.
    ownerTopic: process.env.SMS_NOTIFY_TOPIC_ARN
      ? snsOwnerTopic({ topicArn: process.env.SMS_NOTIFY_TOPIC_ARN, credentials: () => lambdaCredentials(process.env) })
      : noOwnerTopic,
    now: Date.now,
    log,
    metrics,
  };
  return deps;
}
