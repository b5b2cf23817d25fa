/**
 * smsctl end to end on one machine, in process: the local gateway's HTTP layer (bearer-token /admin plus the real
 * webhook handler) over real HTTP, with dynalite and fauxqs behind it, and smsctl run against it with a data dir
 * holding the admin token and the config file. Twilio calls of the admin API go to `twilioBaseUrl` (a stand-in).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { createGatewayServer } from "../../infra/local/http-gateway.ts";
import type { AdminDeps } from "../../lib/admin/deps.ts";
import { handleAdminRequest } from "../../lib/admin/handle-admin-request.ts";
import { runSmsctl } from "../../lib/cli/run.ts";
import { loadConfig } from "../../lib/config/load.ts";
import { toRuntimeConfig } from "../../lib/config/runtime.ts";
import { handleWebhook } from "../../lib/inbound/handle-webhook.ts";
import { noOwnerTopic } from "../../lib/inbound/owner-notice.ts";
import { silentLog } from "../../lib/log/log.ts";
import { noMetrics } from "../../lib/metrics/metrics.ts";
import { QueuePublisher } from "../../lib/queue/publisher.ts";
import { SecretResolver } from "../../lib/secrets/secret-resolver.ts";
import { AccessStore } from "../../lib/store/access-store.ts";
import { ConversationStore } from "../../lib/store/conversation-store.ts";
import { InboundReceiptStore } from "../../lib/store/inbound-receipt-store.ts";
import { OptOutStore } from "../../lib/store/opt-out-store.ts";
import { StatsStore } from "../../lib/store/stats-store.ts";
import { StatusStore } from "../../lib/store/status-store.ts";
import { createTwilioRestClient } from "../../lib/twilio/rest-client.ts";
import { deadLetterDepths, deadLetterQueues, type Emulators, startEmulators } from "./emulators.ts";
import { collectingCliIo } from "./offline-cli-io.ts";
import { type Exchange, recordingFetch } from "./twilio-exchanges.ts";

export const ADMIN_TOKEN = "local-admin-token-abc";

export interface SmsctlRun {
  code: number;
  out: string;
  err: string;
}

export interface SmsctlGateway {
  emulators: Emulators;
  /** The data dir: admin-token and sms.config.json5. */
  dir: string;
  port: number;
  smsctl(...argv: string[]): Promise<SmsctlRun>;
  /** Receives and deletes every message of a queue, in order. */
  drain(queueUrl: string): Promise<Array<Record<string, unknown>>>;
  /** What the terminal answers when smsctl asks (dlq purge without --yes), and the questions it was asked. */
  confirm: { answer: boolean; questions: string[] };
  /** Where the admin API's Twilio calls go (a stand-in's URL); unset, they fail. */
  twilioBaseUrl: string | undefined;
  /** Every answer to those calls, to check against Twilio's spec. */
  twilioExchanges: Exchange[];
  writeConfig(text: string): void;
  stop(): Promise<void>;
}

export interface SmsctlGatewayOptions {
  /** The config file's text; it may name the gateway's port. */
  config: (port: number) => string;
  /** The auth token the config's accounts resolve to (env TEST_TWILIO_TOKEN). */
  twilioToken: string;
}

export async function startSmsctlGateway(options: SmsctlGatewayOptions): Promise<SmsctlGateway> {
  const emulators = await startEmulators();
  const dir = mkdtempSync(join(tmpdir(), "smsctl-e2e-"));
  const env: Record<string, string> = { SMS_DATA_DIR: dir, SMS_CONFIG: join(dir, "sms.config.json5") };
  const confirm = { answer: false, questions: [] as string[] };
  const harness = { twilioBaseUrl: undefined as string | undefined, twilioExchanges: [] as Exchange[] };
  const twilio: TwilioTarget = {
    token: options.twilioToken,
    baseUrl: () => harness.twilioBaseUrl,
    fetch: recordingFetch(harness.twilioExchanges),
  };
  const server = await startGateway(emulators, twilio, env);
  const port = (server.address() as AddressInfo).port;
  env.PORT = String(port);
  writeFileSync(join(dir, "admin-token"), `${ADMIN_TOKEN}\n`);
  const writeConfig = (text: string) => writeFileSync(env.SMS_CONFIG ?? "", text);
  writeConfig(options.config(port));

  return Object.assign(harness, {
    emulators,
    dir,
    port,
    confirm,
    writeConfig,
    smsctl: (...argv: string[]) => runCli(argv, env, confirm),
    drain: (queueUrl: string) => drain(emulators, queueUrl),
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulators.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

interface TwilioTarget {
  token: string;
  baseUrl: () => string | undefined;
  fetch: typeof fetch;
}

/** The real local gateway HTTP layer (event translation, bearer token) in front of the real handlers. */
async function startGateway(emulators: Emulators, twilio: TwilioTarget, env: Record<string, string>): Promise<Server> {
  const baseUrl = () => `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  // The config file names the port, so it is read per request, after listen.
  const config = () =>
    toRuntimeConfig(loadConfig(env), {
      authToken: () => ({ source: "env", id: "TEST_TWILIO_TOKEN" }),
      agentApiKey: () => ({ source: "env", id: "UNUSED" }),
    });
  const access = new AccessStore(emulators.dynamo, emulators.tableName);
  const queues = new QueuePublisher(emulators.sqs, {
    turns: emulators.queueUrls.turns,
    replies: emulators.queueUrls.replies,
  });
  const twilioFor: AdminDeps["twilioFor"] = (account) => {
    const baseUrl = twilio.baseUrl();
    if (baseUrl === undefined) throw new Error("no Twilio stand-in in this test");
    const authToken = async () => twilio.token;
    return {
      client: createTwilioRestClient({ accountSid: account.accountSid, authToken, baseUrl, fetch: twilio.fetch }),
    };
  };
  const gateway = createGatewayServer({
    webhookPaths: new Set(["/webhooks/sms"]),
    adminToken: ADMIN_TOKEN,
    admin: async (event) => {
      const deps: AdminDeps = {
        config: config(),
        access,
        queues,
        optOuts: new OptOutStore(emulators.dynamo, emulators.tableName),
        stats: new StatsStore(emulators.dynamo, emulators.tableName),
        conversations: new ConversationStore(emulators.dynamo, emulators.tableName),
        deadLetters: () => deadLetterDepths(emulators),
        deadLetterQueues: deadLetterQueues(emulators),
        twilioFor,
        stageBaseUrl: baseUrl(),
        now: Date.now,
        newId: () => "11111111-2222-4333-8444-555555555555",
        log: silentLog,
      };
      return handleAdminRequest(event, deps);
    },
    inbound: (event) =>
      handleWebhook(event, {
        config: config(),
        stageBaseUrl: baseUrl(),
        secrets: new SecretResolver(undefined, { TEST_TWILIO_TOKEN: twilio.token }),
        statuses: new StatusStore(emulators.dynamo, emulators.tableName),
        access,
        optOuts: new OptOutStore(emulators.dynamo, emulators.tableName),
        receipts: new InboundReceiptStore(emulators.dynamo, emulators.tableName),
        stats: new StatsStore(emulators.dynamo, emulators.tableName),
        queues,
        now: Date.now,
        log: silentLog,
        metrics: noMetrics,
        ownerTopic: noOwnerTopic,
      }),
  });
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  return gateway;
}

async function runCli(
  argv: string[],
  env: Record<string, string>,
  confirm: SmsctlGateway["confirm"],
): Promise<SmsctlRun> {
  const { io, out, err } = collectingCliIo(env, {
    fetch: globalThis.fetch,
    now: Date.now,
    confirm: async (question) => {
      confirm.questions.push(question);
      return confirm.answer;
    },
    credentials: async () => {
      throw new Error("the local gateway needs no AWS credentials");
    },
  });
  const code = await runSmsctl(argv, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

async function drain(emulators: Emulators, queueUrl: string): Promise<Array<Record<string, unknown>>> {
  const bodies: Array<Record<string, unknown>> = [];
  for (;;) {
    const { Messages = [] } = await emulators.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
    );
    if (Messages.length === 0) return bodies;
    for (const message of Messages) {
      bodies.push(JSON.parse(message.Body ?? "{}") as Record<string, unknown>);
      // FIFO: a group's next message is only handed out once this one is deleted.
      await emulators.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
}
