import type { Server } from "node:http";
import { join, resolve } from "node:path";
import { maskPhone } from "../../lib/access/phone.ts";
import { ConfigError } from "../../lib/config/config-error.ts";
import { loadLocalConfig, toLocalRuntimeConfig } from "../../lib/config/local-config.ts";
import { unsetEnvSecrets } from "../../lib/config/secret-notes.ts";
import { describeSecretRef } from "../../lib/config/secret-ref.ts";
import { builtInAgentRuns, turnsVisibilitySeconds } from "../../lib/config/turn-timing.ts";
import { localBaseUrl } from "../../lib/http/local-base-url.ts";
import { nodeSupportNote, quietSdkNodeNotice } from "../../lib/runtime/node-support.ts";
import { ADMIN_TOKEN_FILE, loadOrCreateAdminToken } from "./admin-token.ts";
import { lockDataDir } from "./data-dir-lock.ts";
import { DYNAMO_FOLDER, ensureDataDir, moveEarlierDemoStore, storeDir } from "./data-layout.ts";
import { describeAgent } from "./describe-agent.ts";
import { describeQueues } from "./describe-queues.ts";
import { startEmbeddedAws } from "./embedded-aws.ts";
import { QUEUE_JOURNAL_FILE } from "./embedded-sqs.ts";
import { createGatewayServer, type GatewayHandlers } from "./http-gateway.ts";
import { listenRefusal } from "./listen-refusal.ts";
import { portSetting } from "./port-setting.ts";
import { startQueuePoller } from "./queue-poller.ts";
import { standInSenders } from "./stand-in-senders.ts";
import { StartupError } from "./startup-error.ts";
import { startTwilioStandIn } from "./twilio-stand-in.ts";

/** How long a received reply stays hidden locally: short, so a retry after a failure is seen quickly. */
const LOCAL_VISIBILITY_SECONDS = 10;
/** Where the gateway listens unless PORT says otherwise. */
const DEFAULT_PORT = 8787;
/** Where the embedded SQS listens unless SQS_PORT says otherwise: fixed, so your own consumer finds it. */
const DEFAULT_SQS_PORT = 8788;
/** Turns answered at once locally; a laptop's model server is the limit long before this is. */
const AGENT_LOCAL_CONCURRENCY = 4;

/**
 * `npm start`: the same handlers as on AWS, wired to an HTTP server on 127.0.0.1, dynalite (on disk) and fauxqs,
 * with the configured agent answering turns and the outbound sender delivering replies.
 */
async function main(): Promise<void> {
  const env = process.env;
  quietSdkNodeNotice(env);
  const host = env.HOST || "127.0.0.1";
  const port = portSetting(env, "PORT", DEFAULT_PORT);
  const sqsPort = portSetting(env, "SQS_PORT", DEFAULT_SQS_PORT);
  if (port !== 0 && port === sqsPort) {
    throw new StartupError(
      `PORT and SQS_PORT are both ${port}: the gateway and its embedded SQS need a port each; set one to another`,
    );
  }
  const dataDir = resolve(env.SMS_DATA_DIR || ".data");
  ensureDataDir(dataDir);
  // Before anything reads or writes the data dir: a second gateway on it would corrupt the queue journal.
  const lock = lockDataDir(dataDir);
  process.on("exit", () => lock.release());

  if (env.SMS_ECHO_AGENT !== undefined) {
    throw new StartupError(
      'SMS_ECHO_AGENT is retired: the agent is chosen in the config file (agent: { kind: "queue" } leaves the turns ' +
        "to your own consumer; without agent the echo agent answers). Unset it and start again.",
    );
  }
  const config = loadLocalConfig(env, dataDir);
  const unset = unsetEnvSecrets(config.resolved, env);
  if (unset.length > 0) throw new StartupError(`cannot start:\n${unset.map((line) => `  - ${line}`).join("\n")}`);
  const { runtime, secretEnv } = toLocalRuntimeConfig(config.resolved);
  const moved = moveEarlierDemoStore(dataDir, config.mode);
  if (moved) console.log(moved);
  // The demo account keeps its tables and queues apart from a config file's: both are account "default".
  const store = storeDir(dataDir, config.mode);
  const adminToken = loadOrCreateAdminToken(dataDir);

  // Listening comes first: a start refused for any reason leaves the saved queues as they were. A request that
  // arrives meanwhile waits for the handlers.
  let handlersReady: (loaded: Pick<GatewayHandlers, "inbound" | "admin">) => void = () => {};
  const handlers = new Promise<Pick<GatewayHandlers, "inbound" | "admin">>((resolve) => {
    handlersReady = resolve;
  });
  const onError = (error: unknown) => console.error("[error]", error instanceof Error ? error.message : error);
  const server = createGatewayServer({
    webhookPaths: new Set(runtime.accounts.filter((a) => a.enabled).map((a) => a.webhookPath)),
    inbound: async (event, context) => (await handlers).inbound(event, context),
    admin: async (event, context) => (await handlers).admin(event, context),
    adminToken,
    onRequest: (line) => console.log(`[http] ${line}`),
    onError,
  });
  await listen(server, port, host);
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  const baseUrl = localBaseUrl(host, actualPort);
  process.env.SMS_WEBHOOK_BASE_URL = baseUrl;

  // fauxqs keeps queues in memory; the journal in the data dir keeps every accepted message across a crash, and
  // what it still holds is queued again here, before any handler runs.
  const aws = await startEmbeddedAws({
    dynamoPath: join(store, DYNAMO_FOLDER),
    queueJournalDir: store,
    // Replies come back quickly after a failure; a turn stays hidden as on AWS, for as long as its consumer (the
    // agent, or yours) may work on it.
    visibilityTimeoutSeconds: { turns: turnsVisibilitySeconds(config.resolved), others: LOCAL_VISIBILITY_SECONDS },
    sqsPort,
  });
  const journalPath = join(store, QUEUE_JOURNAL_FILE);

  const useStandIn = config.mode === "demo" || env.SMS_LOCAL_TWILIO === "stand-in";
  const standIn =
    useStandIn && !env.TWILIO_API_BASE_URL
      ? await startTwilioStandIn({
          accounts: Object.fromEntries(
            config.resolved.accounts.map((account) => [
              account.accountSid,
              account.authToken.source === "inline" ? account.authToken.value : (env[account.authToken.id] ?? ""),
            ]),
          ),
          ...standInSenders(config.resolved.accounts, baseUrl),
          // This is the simulated phone's screen, so the text is shown; the number is masked like in the logs.
          onMessage: (message) => console.log(`[sms out] to ${maskPhone(message.to)}: ${message.body}`),
        })
      : undefined;

  Object.assign(process.env, secretEnv, {
    SMS_RUNTIME_CONFIG: JSON.stringify(runtime),
    SMS_TABLE_NAME: aws.tableName,
    SMS_TURNS_QUEUE_URL: aws.queueUrls.turns,
    SMS_REPLIES_QUEUE_URL: aws.queueUrls.replies,
    SMS_REPLIES_DLQ_URL: aws.queueUrls.repliesDlq,
    SMS_TURNS_DLQ_URL: aws.queueUrls.turnsDlq,
    SMS_MAX_ATTEMPTS: env.SMS_MAX_ATTEMPTS || "5",
    AWS_ENDPOINT_URL_DYNAMODB: aws.dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: aws.sqsEndpoint,
    SMS_EMBEDDED_ENGINES: "1",
    POWERTOOLS_LOG_LEVEL: env.POWERTOOLS_LOG_LEVEL || "WARN",
    // One readable line per message, reply and delivery status (lib/log/narration.ts); "0" keeps them JSON.
    SMS_LOG_NARRATION: env.SMS_LOG_NARRATION || "1",
    // CloudWatch metrics mean nothing here; POWERTOOLS_METRICS_DISABLED=false prints their EMF lines.
    POWERTOOLS_METRICS_DISABLED: env.POWERTOOLS_METRICS_DISABLED || "true",
    ...(standIn ? { TWILIO_API_BASE_URL: standIn.url } : {}),
  });

  // Imported only now: the handlers read their environment on first use.
  const [{ handler: inbound }, { handler: outbound }, { handler: agent }, { handler: admin }] = await Promise.all([
    import("../../functions/inbound.ts"),
    import("../../functions/outbound.ts"),
    import("../../functions/agent.ts"),
    import("../../functions/admin.ts"),
  ]);

  handlersReady({ inbound, admin });

  // The turns queue has one consumer: the built-in agent function, or yours when every account says "queue".
  const agentRuns = builtInAgentRuns(config.resolved);
  const pollers = [
    startQueuePoller({
      sqs: aws.sqs,
      queueUrl: aws.queueUrls.replies,
      functionName: "outbound",
      handler: outbound,
      onError,
    }),
    ...(agentRuns
      ? [
          startQueuePoller({
            sqs: aws.sqs,
            queueUrl: aws.queueUrls.turns,
            functionName: "agent",
            handler: agent,
            onError,
            // As on AWS (batch size 1, one invocation per message group): a slow answer to one sender does not
            // hold up the others.
            batchSize: 1,
            concurrency: AGENT_LOCAL_CONCURRENCY,
          }),
        ]
      : []),
  ];

  printBanner({ baseUrl, config, runtime, standInUrl: standIn?.url, dataDir, store, aws });
  if (aws.restoredMessages > 0) console.log(`re-queued ${aws.restoredMessages} message(s) from ${journalPath}`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("stopping…");
    await new Promise<void>((done) => server.close(() => done()));
    await Promise.all(pollers.map((poller) => poller.stop()));
    const kept = await aws.stop();
    if (kept > 0) console.log(`${kept} queued message(s) kept in ${journalPath}; they are re-queued on next start`);
    await standIn?.close();
    console.log("stopped; data kept in", store);
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/** server.listen, with a busy port or an address not of this machine reported as one line. */
async function listen(server: Server, port: number, host: string): Promise<void> {
  await new Promise<void>((done, fail) => {
    const refused = (error: NodeJS.ErrnoException) =>
      fail(listenRefusal(error, { host, port, portSetting: "PORT", hostSetting: "HOST" }) ?? error);
    server.once("error", refused);
    server.listen(port, host, () => {
      server.off("error", refused);
      done();
    });
  });
}

function printBanner(input: {
  baseUrl: string;
  config: ReturnType<typeof loadLocalConfig>;
  runtime: ReturnType<typeof toLocalRuntimeConfig>["runtime"];
  standInUrl: string | undefined;
  dataDir: string;
  store: string;
  aws: Awaited<ReturnType<typeof startEmbeddedAws>>;
}): void {
  const { baseUrl, config, runtime, standInUrl } = input;
  const lines = [`sms-channel local gateway listening on ${baseUrl}`, `config: ${config.source}`, "accounts:"];
  for (const account of runtime.accounts) {
    const signedUrl = account.publicWebhookUrl ?? `${baseUrl}${account.webhookPath}`;
    lines.push(
      `  - ${account.id}${account.id === runtime.defaultAccount ? " (default)" : ""}${account.enabled ? "" : " [disabled]"}: ` +
        `webhook ${baseUrl}${account.webhookPath} (signature checked against ${signedUrl}` +
        `${account.dangerouslyDisableSignatureValidation ? ", VALIDATION DISABLED" : ""}), ` +
        `dmPolicy ${account.dmPolicy}, sender ${account.fromNumber ? maskPhone(account.fromNumber) : account.messagingServiceSid}, ` +
        `token ${describeSecretRef(account.authToken)}`,
      `    agent: ${describeAgent(account, input.aws.queueUrls.turns)}`,
    );
  }
  const twilioTarget = process.env.TWILIO_API_BASE_URL;
  lines.push(
    standInUrl
      ? `outbound SMS: NOT sent to Twilio; an embedded Twilio stand-in at ${standInUrl} accepts them and prints them here`
      : twilioTarget
        ? `outbound SMS: sent to ${twilioTarget} (TWILIO_API_BASE_URL)`
        : "outbound SMS: sent through Twilio's REST API (real, billed messages)",
    ...describeQueues({ ...input.aws, turnsVisibilitySeconds: turnsVisibilitySeconds(config.resolved) }),
    config.mode === "demo"
      ? `data: the demo account's in ${input.store}, apart from a config file's in ${input.dataDir} ` +
          `(admin token in ${join(input.dataDir, ADMIN_TOKEN_FILE)})`
      : `data: ${input.dataDir} (DynamoDB tables on disk; admin token in ${join(input.dataDir, ADMIN_TOKEN_FILE)})`,
    config.mode === "demo"
      ? 'try it: npx smsctl simulate --from +15557654321 --body "hello" (it says what happened and what to do next)'
      : "try it: npx smsctl status --probe",
    ...[nodeSupportNote()].filter((note) => note !== undefined),
    "Ctrl-C stops.",
  );
  console.log(lines.join("\n"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartupError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
