import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDynamoFolder } from "../../infra/local/dynamo-folder.ts";
import { LEGACY_SNAPSHOT_FILE, QUEUE_JOURNAL_FILE } from "../../infra/local/embedded-sqs.ts";
import type { JournalRecord } from "../../infra/local/queue-journal-records.ts";
import { startTwilioStandIn, type TwilioStandIn } from "../../infra/local/twilio-stand-in.ts";
import {
  postSignedWebhook,
  runFailingGateway,
  startGatewayProcess,
  waitFor,
} from "../support/local-gateway-process.ts";

const SID = `AC${"6".repeat(32)}`;
const TOKEN = "failed-start-token";
const SENDER = "+15557654321";
const BODY = "saved across a failed start";
const ANSWER = `You said: "${BODY}"`;
/** TEST-NET-1 (RFC 5737): never an address of this machine. */
const FOREIGN_HOST = "192.0.2.1";

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A port something else listens on. */
async function occupiedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  cleanups.push(() => new Promise((done) => server.close(done)));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

function setup(twilio: TwilioStandIn) {
  const dir = mkdtempSync(join(tmpdir(), "sms-failed-start-"));
  const config = join(dir, "sms.config.json5");
  const writeConfig = (agent: string) =>
    writeFileSync(
      config,
      `{ channels: { sms: { accountSid: "${SID}", authToken: "${TOKEN}", fromNumber: "+15551234567",
         dmPolicy: "allowlist", allowFrom: ["${SENDER}"], ${agent} } } }`,
    );
  const dataDir = join(dir, "data");
  return {
    dir,
    dataDir,
    writeConfig,
    env: { SMS_CONFIG: config, SMS_DATA_DIR: dataDir, TWILIO_API_BASE_URL: twilio.url },
  };
}

/**
 * Ctrl-C with a turn still queued (no agent of the gateway's consumes it), then the echo agent configured: the
 * next good start answers it.
 */
async function saveOneTurn(twilio: TwilioStandIn) {
  const at = setup(twilio);
  at.writeConfig('agent: { kind: "queue" }');
  const gateway = await startGatewayProcess(at.env);
  cleanups.push(() => gateway.kill());
  const params = { MessageSid: `SM${"7".repeat(32)}`, AccountSid: SID, From: SENDER, To: "+15551234567", Body: BODY };
  expect(await postSignedWebhook(gateway, TOKEN, params)).toBe(200);
  expect(await gateway.stop()).toBe(0);
  expect(gateway.output()).toContain("1 queued message(s) kept in");
  at.writeConfig("");
  return at;
}

/** The only line a refused start prints, with exit code 1 and no stack trace. */
async function refusedStart(env: Record<string, string>): Promise<string> {
  const failed = await runFailingGateway(env);
  expect(failed.output).not.toMatch(/\n\s+at /);
  expect(failed.code).toBe(1);
  const lines = failed.output.trim().split("\n");
  expect(lines).toHaveLength(1);
  return lines[0] as string;
}

/** Starts that fail before the gateway is up, each for another reason; what was saved must stay as it was. */
async function failEveryWay(env: Record<string, string>, dataDir: string, saved: () => string): Promise<void> {
  const before = saved();
  const port = await occupiedPort();
  expect(await refusedStart({ ...env, PORT: String(port) })).toBe(
    `127.0.0.1:${port} is already in use; stop what listens there or set PORT to another port`,
  );
  expect(saved()).toBe(before);

  expect(await refusedStart({ ...env, SQS_PORT: String(port) })).toBe(
    `127.0.0.1:${port} (the embedded SQS endpoint) is already in use; stop what listens there or set SQS_PORT to ` +
      "another port",
  );
  expect(saved()).toBe(before);

  expect(await refusedStart({ ...env, HOST: FOREIGN_HOST })).toMatch(
    new RegExp(`^cannot listen on ${FOREIGN_HOST.replaceAll(".", "\\.")}: not an address of this machine; set HOST`),
  );
  expect(saved()).toBe(before);

  // Held as another process would hold it (dynalite on its own would answer "Database is closed" and crash).
  const dynamoPath = join(dataDir, "dynamodb");
  const held = await openDynamoFolder(dynamoPath);
  try {
    expect(await refusedStart(env)).toBe(
      `DynamoDB data in ${dynamoPath} is held by another process (another sms-channel gateway, or a tool that opened ` +
        "it); stop that process, or start this one with SMS_DATA_DIR set to another folder",
    );
  } finally {
    await held.close();
  }
  expect(saved()).toBe(before);

  const badConfig = join(dataDir, "..", "bad.config.json5");
  writeFileSync(badConfig, '{ channels: { sms: { accountSid: "nope" } } }');
  const failed = await runFailingGateway({ ...env, SMS_CONFIG: badConfig });
  expect(failed.code).toBe(1);
  expect(failed.output).toContain("accountSid");
  expect(failed.output).not.toMatch(/\n\s+at /);
  expect(saved()).toBe(before);
}

/** A good start re-queues the saved turn and the echo agent answers it, once. */
async function answeredOnce(twilio: TwilioStandIn, env: Record<string, string>): Promise<void> {
  const gateway = await startGatewayProcess(env);
  cleanups.push(() => gateway.kill());
  await waitFor("the echo answer", () => (twilio.messages.some((m) => m.body === ANSWER) ? true : undefined));
  expect(gateway.output()).toMatch(/re-queued 1 message\(s\) from /);
  // Time for a second copy to show up, were the turn queued twice.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(twilio.messages.filter((m) => m.body === ANSWER)).toHaveLength(1);
  expect(await gateway.stop()).toBe(0);
}

describe("a start that fails says why in one line and keeps every saved message (npm start)", () => {
  it("the queue journal is left as it was by a busy PORT or SQS_PORT, a foreign HOST, held DynamoDB data or a bad config", async () => {
    const twilio = await startTwilioStandIn({ accounts: { [SID]: TOKEN } });
    cleanups.push(() => twilio.close());
    const { env, dataDir } = await saveOneTurn(twilio);
    const journal = join(dataDir, QUEUE_JOURNAL_FILE);
    await failEveryWay(env, dataDir, () => readFileSync(journal, "utf8"));
    await answeredOnce(twilio, env);
  }, 180_000);

  it("a queued-messages.json saved by an earlier version survives a start refused for a busy PORT", async () => {
    const twilio = await startTwilioStandIn({ accounts: { [SID]: TOKEN } });
    cleanups.push(() => twilio.close());
    const { env, dataDir } = await saveOneTurn(twilio);
    // What that version's Ctrl-C wrote instead of the journal.
    const journal = join(dataDir, QUEUE_JOURNAL_FILE);
    const [, ...records] = readFileSync(journal, "utf8").trim().split("\n");
    const turns = records
      .map((line) => JSON.parse(line) as JournalRecord)
      .flatMap((record) => (record.op === "send" ? [record] : []))
      .map(({ body, groupId, dedupeId, attributes }) => ({ body, groupId, dedupeId, attributes }));
    expect(turns).toHaveLength(1);
    const legacy = join(dataDir, LEGACY_SNAPSHOT_FILE);
    writeFileSync(legacy, JSON.stringify({ turns }));
    rmSync(journal);

    const port = await occupiedPort();
    expect(await refusedStart({ ...env, PORT: String(port) })).toContain("is already in use");
    expect(JSON.parse(readFileSync(legacy, "utf8"))).toEqual({ turns });
    await answeredOnce(twilio, env);
  }, 120_000);
});
