import type { ChatModel } from "../agent/chat-model.ts";
import type { MediaFetcher } from "../agent/media-fetch.ts";
import { loadedOnFirstUse, withKeyRefresh } from "../agent/model-decorators.ts";
import { createOpenAiChatModel } from "../agent/openai-chat-model.ts";
import type { TurnRecordDeps } from "../agent/process-turn-record.ts";
import { prepareTurnMedia } from "../agent/turn-media.ts";
import { createTwilioMediaFetcher } from "../agent/twilio-media-fetcher.ts";
import type { RuntimeAccount } from "../config/types.ts";
import { retryDelaySeconds } from "../outbound/retry-backoff.ts";
import { visibilityPostponer } from "../queue/postpone.ts";
import { ConversationStore } from "../store/conversation-store.ts";
import { dynamo, sqs } from "./aws-clients.ts";
import { log } from "./logger.ts";
import { requiredEnv } from "./memo.ts";
import { metrics } from "./metrics.ts";
import { publisher } from "./queues.ts";
import { runtimeConfig, tableName } from "./runtime-env.ts";
import { secrets, twilioTimeoutMs } from "./twilio.ts";

/** Failed model calls per turn before the failure reply (5 s, 15 s, 45 s backoffs in between). */
const MAX_MODEL_ATTEMPTS = 4;

export type AgentFunctionDeps = TurnRecordDeps & {
  postpone: ReturnType<typeof visibilityPostponer>;
};

let deps: AgentFunctionDeps | undefined;

export function agentDeps(): AgentFunctionDeps {
  deps ??= {
    config: runtimeConfig(),
    conversations: new ConversationStore(dynamo(), tableName()),
    modelFor,
    prepareMedia: (turn, account) => prepareTurnMedia(turn, mediaFetcherFor(account)),
    publishReply: (reply) => publisher().sendReply(reply),
    now: Date.now,
    log,
    metrics,
    maxAttempts: MAX_MODEL_ATTEMPTS,
    sqs: sqs(),
    dlqUrl: requiredEnv("SMS_TURNS_DLQ_URL"),
    retryDelaySeconds,
    postpone: visibilityPostponer(sqs(), requiredEnv("SMS_TURNS_QUEUE_URL")),
  };
  return deps;
}

/** One connector per account and container: clients keep their connections warm between turns. */
const models = new Map<string, ChatModel>();

function modelFor(account: RuntimeAccount): ChatModel {
  const cached = models.get(account.id);
  if (cached) return cached;
  const agent = account.agent;
  let model: ChatModel;
  if (agent.kind === "openai") {
    const apiKey = agent.apiKey;
    const connector = createOpenAiChatModel({
      baseUrl: agent.baseUrl,
      model: agent.model,
      apiKey: async () => (apiKey ? secrets().resolve(apiKey, "apiKey") : undefined),
      timeoutMs: agent.timeoutMs,
    });
    // Only a key in Secrets Manager can change under a running function; a 401 with any other key is final.
    model = apiKey?.source === "aws" ? withKeyRefresh(connector, () => secrets().invalidate(apiKey)) : connector;
  } else if (agent.kind === "bedrock") {
    // Loaded on first use: an OpenAI-only or echo deployment never evaluates the Bedrock client at cold start.
    model = loadedOnFirstUse(async () => (await import("./bedrock.ts")).bedrockModelFor(agent));
  } else {
    throw new Error(`account "${account.id}": agent kind "${agent.kind}" has no model`);
  }
  models.set(account.id, model);
  return model;
}

const fetchers = new Map<string, MediaFetcher>();

/** Downloads an account's inbound media with its Twilio credentials, within the Twilio request timeout. */
function mediaFetcherFor(account: RuntimeAccount): MediaFetcher {
  let fetcher = fetchers.get(account.id);
  if (!fetcher) {
    fetcher = createTwilioMediaFetcher({
      accountSid: account.accountSid,
      authToken: () => secrets().resolve(account.authToken),
      timeoutMs: twilioTimeoutMs(),
      ...(process.env.TWILIO_API_BASE_URL ? { baseUrl: process.env.TWILIO_API_BASE_URL } : {}),
    });
    fetchers.set(account.id, fetcher);
  }
  return fetcher;
}
