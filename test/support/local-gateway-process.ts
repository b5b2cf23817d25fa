import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { twilioSignature } from "../../lib/twilio/signature.ts";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface GatewayProcess {
  baseUrl: string;
  /** The embedded SQS endpoint the banner prints (what an agent of your own would use). */
  sqsEndpoint: string;
  output(): string;
  /** A clean stop (Ctrl-C by default), resolved with the exit code. */
  stop(signal?: "SIGINT" | "SIGTERM"): Promise<number | null>;
  /** `kill -9`: no handler runs, nothing is saved on the way out. */
  kill(): Promise<void>;
}

function inheritedEnv(): NodeJS.ProcessEnv {
  const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _quiet, ...rest } = process.env;
  return rest;
}

/** tsx and the gateway by absolute path, so a gateway can start in any folder (see GatewayOptions.cwd). */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const GATEWAY_MAIN = join(REPO_ROOT, "infra/local/main.ts");

export interface GatewayOptions {
  /**
   * Where `npm start` runs; default the checkout. An empty folder has no ./sms.config.json5, so with SMS_CONFIG
   * unset the gateway starts the demo account whatever config a developer keeps in the checkout.
   */
  cwd?: string;
}

function spawnGateway(
  env: Record<string, string>,
  options: GatewayOptions = {},
): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["--import", TSX_LOADER, GATEWAY_MAIN], {
    cwd: options.cwd ?? REPO_ROOT,
    // Any free ports, so gateways run side by side; a test may still ask for fixed ones.
    // Without the test runner's AWS SDK notice switch: the gateway must quiet it itself.
    env: { ...inheritedEnv(), PORT: "0", SQS_PORT: "0", POWERTOOLS_LOG_LEVEL: "WARN", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const collect = (chunk: Buffer) => {
    text += chunk.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  return { child, output: () => text };
}

async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const [code] = (await once(child, "exit")) as [number | null];
  return code;
}

/** Starts `infra/local/main.ts` (what `npm start` runs) in a child process and waits for its banner. */
export async function startGatewayProcess(
  env: Record<string, string>,
  options: GatewayOptions = {},
): Promise<GatewayProcess> {
  const { child, output } = spawnGateway(env, options);
  const banner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output()}`)), 60_000);
    const check = () => {
      if (!output().includes("Ctrl-C stops.")) return;
      clearTimeout(timer);
      resolve(output());
    };
    child.stdout?.on("data", check);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}:\n${output()}`));
    });
  });
  const baseUrl = /listening on (http:\/\/\S+)/.exec(banner)?.[1];
  const sqsEndpoint = /SQS endpoint (http:\/\/[^\s)]+)/.exec(banner)?.[1];
  if (!baseUrl || !sqsEndpoint) throw new Error(`unexpected banner:\n${banner}`);
  return {
    baseUrl,
    sqsEndpoint,
    output,
    async stop(signal = "SIGINT") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exitOf(child);
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exitOf(child);
    },
  };
}

/** Runs a gateway that is expected to refuse to start; resolves with its exit code and everything it printed. */
export async function runFailingGateway(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const { child, output } = spawnGateway(env);
  // One that starts after all is stopped at once: the caller sees its banner and a null exit code.
  const killIfStarted = () => {
    if (output().includes("Ctrl-C stops.")) child.kill("SIGKILL");
  };
  child.stdout?.on("data", killIfStarted);
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const code = await exitOf(child);
  clearTimeout(timer);
  return { code, output: output() };
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Messages waiting, in flight or delayed in a queue of the gateway, asked over its SQS endpoint. */
export async function queueDepth(sqs: SQSClient, queueName: string): Promise<number> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl,
      AttributeNames: [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
      ],
    }),
  );
  return Object.values(Attributes).reduce((sum, value) => sum + Number(value), 0);
}

/** An SQS client for the gateway's embedded queues, as your own agent would make one. */
export function gatewaySqs(gateway: GatewayProcess): SQSClient {
  return new SQSClient({
    region: "us-east-1",
    endpoint: gateway.sqsEndpoint,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    useQueueUrlAsEndpoint: false,
  });
}

/** POSTs a form signed with `token` over the exact URL, as Twilio calls a webhook; resolves with the status. */
export async function postSignedWebhook(
  gateway: GatewayProcess,
  token: string,
  params: Record<string, string>,
  path = "/webhooks/sms",
): Promise<number> {
  const url = `${gateway.baseUrl}${path}`;
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "X-Twilio-Signature": twilioSignature(token, url, params),
    },
    body: new URLSearchParams(params).toString(),
  });
  await response.arrayBuffer();
  return response.status;
}
