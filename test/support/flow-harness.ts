import { DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyResult, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { type EmbeddedAws, startEmbeddedAws } from "../../infra/local/embedded-aws.ts";
import { pollOnce } from "../../infra/local/queue-poller.ts";
import { startTwilioStandIn, type TwilioStandIn } from "../../infra/local/twilio-stand-in.ts";
import { toLocalRuntimeConfig } from "../../lib/config/local-config.ts";
import { resolveConfig } from "../../lib/config/resolve.ts";
import type { RuntimeAccount, RuntimeConfig } from "../../lib/config/types.ts";
import { handleWebhook, type WebhookDeps } from "../../lib/inbound/handle-webhook.ts";
import { noOwnerTopic, type OwnerTopic } from "../../lib/inbound/owner-notice.ts";
import { configuredWebhookUrl } from "../../lib/inbound/webhook-routing.ts";
import { silentLog } from "../../lib/log/log.ts";
import type { Metrics } from "../../lib/metrics/metrics.ts";
import { processReplyBatch, type ReplyBatchDeps } from "../../lib/outbound/process-reply-batch.ts";
import type { RecordOutcome } from "../../lib/outbound/process-reply-record.ts";
import type { Reply, Turn } from "../../lib/queue/messages.ts";
import { visibilityPostponer } from "../../lib/queue/postpone.ts";
import { QueuePublisher } from "../../lib/queue/publisher.ts";
import { queueDepth } from "../../lib/queue/queue-depth.ts";
import { SecretResolver } from "../../lib/secrets/secret-resolver.ts";
import { AccessStore } from "../../lib/store/access-store.ts";
import { InboundReceiptStore } from "../../lib/store/inbound-receipt-store.ts";
import { OptOutStore } from "../../lib/store/opt-out-store.ts";
import { ReplyStore } from "../../lib/store/reply-store.ts";
import { StatsStore } from "../../lib/store/stats-store.ts";
import { StatusStore } from "../../lib/store/status-store.ts";
import { looksLikeTwilioAuthToken } from "../../lib/twilio/auth-token-shape.ts";
import { createTwilioRestClient } from "../../lib/twilio/rest-client.ts";
import { twilioSignature } from "../../lib/twilio/signature.ts";
import { RecordedMetrics } from "./recorded-metrics.ts";
import { restApiEvent } from "./webhook-events.ts";

export { STAGE_URL } from "./stage.ts";

import { STAGE_URL } from "./stage.ts";

export interface Harness {
  aws: EmbeddedAws;
  twilio: TwilioStandIn;
  runtime: RuntimeConfig;
  clock: { now: number };
  /** What the inbound and outbound code counted (or the real EMF adapter, when given one). */
  metrics: Metrics;
  inboundDeps: WebhookDeps;
  outboundDeps: ReplyBatchDeps;
  account(id?: string): RuntimeAccount;
  /** POSTs a Twilio-signed form to the account's webhook, as API Gateway would hand it to the function. */
  webhook(
    params: Record<string, string>,
    options?: { account?: string; signature?: string | null; query?: string },
  ): Promise<APIGatewayProxyResult>;
  /** Receives and deletes every waiting turn (or reply), as a consumer would. */
  receiveTurns(): Promise<Turn[]>;
  receiveReplies(): Promise<Reply[]>;
  queueDepth(url: string): Promise<number>;
  /** One event-source-mapping poll of the replies queue through the outbound batch processor; settled outcomes. */
  deliverReplies(): Promise<RecordOutcome[]>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** The stand-in dates messages by the harness clock rather than the wall clock (reconciliation windows). */
  twilioOnHarnessClock?: boolean;
  /** Replaces parts of the outbound deps, e.g. more attempts or no backoff for a long fault storm. */
  outbound?: Partial<ReplyBatchDeps>;
  /** Default: a RecordedMetrics. */
  metrics?: Metrics;
  /** Default: none (as locally). */
  ownerTopic?: OwnerTopic;
}

/** Everything the handlers talk to, for real: dynalite, fauxqs and the Twilio stand-in over HTTP. */
export async function startHarness(
  smsSection: Record<string, unknown>,
  options: HarnessOptions = {},
): Promise<Harness> {
  const resolved = resolveConfig({ channels: { sms: smsSection } });
  const { runtime, secretEnv } = toLocalRuntimeConfig(resolved);
  const aws = await startEmbeddedAws({ visibilityTimeoutSeconds: 1 });
  const tokens = Object.fromEntries(
    resolved.accounts.map((a) => [a.accountSid, a.authToken.source === "inline" ? a.authToken.value : ""]),
  );
  const clock = { now: Date.UTC(2026, 10, 23, 12, 0, 0) };
  const twilio = await startTwilioStandIn({
    accounts: tokens,
    ...(options.twilioOnHarnessClock ? { now: () => new Date(clock.now) } : {}),
  });
  const now = () => clock.now;
  const secrets = new SecretResolver(undefined, secretEnv);
  const access = new AccessStore(aws.dynamo, aws.tableName);
  const optOuts = new OptOutStore(aws.dynamo, aws.tableName);
  const metrics = options.metrics ?? new RecordedMetrics();
  const queues = new QueuePublisher(aws.sqs, { turns: aws.queueUrls.turns, replies: aws.queueUrls.replies });
  const inboundDeps: WebhookDeps = {
    config: runtime,
    stageBaseUrl: STAGE_URL,
    secrets,
    statuses: new StatusStore(aws.dynamo, aws.tableName),
    access,
    optOuts,
    receipts: new InboundReceiptStore(aws.dynamo, aws.tableName),
    stats: new StatsStore(aws.dynamo, aws.tableName),
    queues,
    ownerTopic: options.ownerTopic ?? noOwnerTopic,
    now,
    log: silentLog,
    metrics,
  };
  const outboundDeps: ReplyBatchDeps = {
    config: runtime,
    replies: new ReplyStore(aws.dynamo, aws.tableName),
    optOuts,
    statuses: new StatusStore(aws.dynamo, aws.tableName),
    twilioFor: (account) => ({
      client: createTwilioRestClient({
        accountSid: account.accountSid,
        authToken: () => secrets.resolve(account.authToken),
        baseUrl: twilio.url,
        timeoutMs: 1000,
      }),
      refreshToken: () => secrets.invalidate(account.authToken),
      tokenLooksSet: async () => looksLikeTwilioAuthToken(await secrets.resolve(account.authToken)),
    }),
    statusCallbackUrl: (account) => configuredWebhookUrl(account, STAGE_URL),
    now,
    log: silentLog,
    metrics,
    sqs: aws.sqs,
    dlqUrl: aws.queueUrls.repliesDlq,
    postpone: visibilityPostponer(aws.sqs, aws.queueUrls.replies),
    retryDelaySeconds: () => 1,
    maxAttempts: 3,
    ...options.outbound,
  };
  const account = (id = runtime.defaultAccount) => {
    const found = runtime.accounts.find((candidate) => candidate.id === id);
    if (!found) throw new Error(`no account ${id}`);
    return found;
  };

  return {
    aws,
    twilio,
    runtime,
    clock,
    metrics,
    inboundDeps,
    outboundDeps,
    account,
    async webhook(params, options = {}) {
      const target = account(options.account);
      const url = configuredWebhookUrl(target, STAGE_URL) + (options.query ? `?${options.query}` : "");
      const token = tokens[target.accountSid] ?? "";
      const signature = options.signature === undefined ? twilioSignature(token, url, params) : options.signature;
      return handleWebhook(restApiEvent(target.webhookPath, params, signature, options.query), inboundDeps);
    },
    receiveTurns: () => drainQueue<Turn>(aws, aws.queueUrls.turns),
    receiveReplies: () => drainQueue<Reply>(aws, aws.queueUrls.replies),
    queueDepth: (url) => queueDepth(aws.sqs, url),
    async deliverReplies() {
      const outcomes: RecordOutcome[] = [];
      await pollOnce({
        sqs: aws.sqs,
        queueUrl: aws.queueUrls.replies,
        functionName: "outbound",
        handler: async (event: SQSEvent, context): Promise<SQSBatchResponse> => {
          const batch = await processReplyBatch(event, context, outboundDeps);
          outcomes.push(...batch.settled);
          return batch.response;
        },
      });
      return outcomes;
    },
    async stop() {
      await twilio.close();
      await aws.stop();
    },
  };
}

let sidCounter = 0;

/** A Twilio-shaped inbound SMS form; every call gets a fresh MessageSid unless one is given. */
export function inboundSms(account: RuntimeAccount, from: string, body: string, extra: Record<string, string> = {}) {
  sidCounter++;
  return {
    ToCountry: "US",
    SmsMessageSid: `SM${sidCounter.toString(16).padStart(32, "0")}`,
    NumMedia: "0",
    SmsSid: `SM${sidCounter.toString(16).padStart(32, "0")}`,
    SmsStatus: "received",
    Body: body,
    To: account.fromNumber ?? "+15551234567",
    NumSegments: "1",
    MessageSid: `SM${sidCounter.toString(16).padStart(32, "0")}`,
    AccountSid: account.accountSid,
    From: from,
    ApiVersion: "2010-04-01",
    ...extra,
  };
}

async function drainQueue<T>(aws: EmbeddedAws, queueUrl: string): Promise<T[]> {
  const bodies: T[] = [];
  for (;;) {
    const received = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) return bodies;
    // Delete like a consumer would: a FIFO group with a message in flight hides its later messages.
    for (const message of messages) {
      await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      bodies.push(JSON.parse(message.Body ?? "{}") as T);
    }
  }
}
