import { randomUUID } from "node:crypto";
import type { AdminDeps } from "../admin/deps.ts";
import { DeadLetterQueue } from "../queue/dead-letter-queue.ts";
import { queueDepth } from "../queue/queue-depth.ts";
import { ConversationStore } from "../store/conversation-store.ts";
import { OptOutStore } from "../store/opt-out-store.ts";
import { StatsStore } from "../store/stats-store.ts";
import { dynamo, sqs } from "./aws-clients.ts";
import { log } from "./logger.ts";
import { requiredEnv } from "./memo.ts";
import { publisher } from "./queues.ts";
import { runtimeConfig, stageBaseUrl, tableName } from "./runtime-env.ts";
import { accessStore } from "./stores.ts";
import { twilioFor } from "./twilio.ts";

let deps: AdminDeps | undefined;

export function adminDeps(): AdminDeps {
  deps ??= {
    config: runtimeConfig(),
    access: accessStore(),
    queues: publisher(),
    optOuts: new OptOutStore(dynamo(), tableName()),
    stats: new StatsStore(dynamo(), tableName()),
    conversations: new ConversationStore(dynamo(), tableName()),
    deadLetters: async () => {
      const [turns, replies] = await Promise.all([
        queueDepth(sqs(), requiredEnv("SMS_TURNS_DLQ_URL")),
        queueDepth(sqs(), requiredEnv("SMS_REPLIES_DLQ_URL")),
      ]);
      return { turns, replies };
    },
    deadLetterQueues: {
      turns: new DeadLetterQueue(sqs(), requiredEnv("SMS_TURNS_DLQ_URL"), requiredEnv("SMS_TURNS_QUEUE_URL")),
      replies: new DeadLetterQueue(sqs(), requiredEnv("SMS_REPLIES_DLQ_URL"), requiredEnv("SMS_REPLIES_QUEUE_URL")),
    },
    twilioFor,
    stageBaseUrl: stageBaseUrl(),
    now: Date.now,
    newId: randomUUID,
    log,
  };
  return deps;
}
