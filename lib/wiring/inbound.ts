import type { WebhookDeps } from "../inbound/handle-webhook.ts";
import { dynamoClient } from "../store/dynamo-client.ts";
import { StatusStore } from "../store/status-store.ts";
import { accessStore, publisher, runtimeConfig, secrets, stageBaseUrl, tableName } from "./common.ts";
import { log } from "./logger.ts";

let deps: WebhookDeps | undefined;

export function inboundDeps(): WebhookDeps {
  deps ??= {
    config: runtimeConfig(),
    stageBaseUrl: stageBaseUrl(),
    secrets: secrets(),
    statuses: new StatusStore(dynamoClient(), tableName()),
    access: accessStore(),
    queues: publisher(),
    now: Date.now,
    log,
  };
  return deps;
}
