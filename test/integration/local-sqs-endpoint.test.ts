import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedSqs, LOCAL_REGION, startEmbeddedSqs } from "../../infra/local/embedded-sqs.ts";
import { runFailingGateway } from "../support/local-gateway-process.ts";

const CREDENTIALS = { accessKeyId: "any", secretAccessKey: "any" };
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function gatewayEnv(extra: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "sms-sqs-port-"));
  const config = join(dir, "sms.config.json5");
  writeFileSync(
    config,
    `{ channels: { sms: { accountSid: "AC${"4".repeat(32)}", authToken: "t", fromNumber: "+15551234567" } } }`,
  );
  return { SMS_CONFIG: config, SMS_DATA_DIR: join(dir, "data"), ...extra };
}

describe("the embedded SQS endpoint's queue URLs", () => {
  let sqs: EmbeddedSqs;

  beforeAll(async () => {
    sqs = await startEmbeddedSqs({ queuePrefix: "urls", visibilityTimeoutSeconds: 10 });
  });
  afterAll(async () => {
    await sqs?.stop();
  });

  it("are http://127.0.0.1:<port>/<account>/<name>, in every answer that names one", async () => {
    const endpoint = new URL(sqs.endpoint);
    expect(endpoint.hostname).toBe("127.0.0.1");
    expect(new URL(sqs.queueUrls.turns).href).toBe(`${endpoint.origin}/000000000000/urls-turns.fifo`);
    const client = new SQSClient({ region: LOCAL_REGION, endpoint: sqs.endpoint, credentials: CREDENTIALS });
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: "urls-replies.fifo" }));
    expect(QueueUrl).toBe(sqs.queueUrls.replies);
    const { QueueUrls } = await client.send(new ListQueuesCommand({ QueueNamePrefix: "urls-" }));
    expect(new Set(QueueUrls)).toEqual(new Set(Object.values(sqs.queueUrls)));
    client.destroy();
  });

  it("work as the SDK's endpoint too: a client with no endpoint set reaches the queue through its URL", async () => {
    const client = new SQSClient({ region: LOCAL_REGION, credentials: CREDENTIALS, logger: quiet });
    const QueueUrl = sqs.queueUrls.turns;
    await client.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: "{}",
        MessageGroupId: "g",
        MessageDeduplicationId: "through-the-url",
      }),
    );
    const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    expect(Messages.map((message) => message.Body)).toEqual(["{}"]);
    client.destroy();
  });
});

describe("SQS_PORT", () => {
  let holder: Server;
  let held: number;

  beforeAll(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    held = (holder.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => holder.close(() => resolve()));
  });

  it("taken by something else: the start stops with one line naming SQS_PORT, no stack", async () => {
    const { code, output } = await runFailingGateway(gatewayEnv({ SQS_PORT: String(held) }));
    expect(code).toBe(1);
    expect(output).toContain(
      `127.0.0.1:${held} (the embedded SQS endpoint) is already in use; stop what listens there or set SQS_PORT to another port`,
    );
    expect(output).not.toMatch(/\n\s+at /);
  }, 60_000);

  it("not a port number: refused, naming the variable and what it expects", async () => {
    const { code, output } = await runFailingGateway(gatewayEnv({ SQS_PORT: "88x8" }));
    expect(code).toBe(1);
    expect(output).toContain('SQS_PORT: expected a port number from 0 to 65535, got "88x8"');
  }, 60_000);
});
