import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { QUEUE_JOURNAL_FILE, REJECTED_FILE } from "../../infra/local/embedded-sqs.ts";
import { journalLine } from "../../infra/local/queue-journal-file.ts";
import { JOURNAL_FORMAT, JOURNAL_VERSION } from "../../infra/local/queue-journal-records.ts";
import { startTwilioStandIn, type TwilioStandIn } from "../../infra/local/twilio-stand-in.ts";
import { twilioSignature } from "../../lib/twilio/signature.ts";
import {
  type GatewayProcess,
  gatewaySqs,
  queueDepth,
  runFailingGateway,
  startGatewayProcess,
  waitFor,
} from "../support/local-gateway-process.ts";
import { seededRandom } from "../support/seeded-random.ts";

const SID = `AC${"4".repeat(32)}`;
const TOKEN = "crash-recovery-token";
const TWILIO_NUMBER = "+15551234567";
const SENDERS = ["+15557654301", "+15557654302", "+15557654303", "+15557654304", "+15557654305"];
const BURST = 50;
/** Webhooks in flight at once, like Twilio delivering several senders' messages together. */
const CONCURRENCY = 5;

interface Webhook {
  sid: string;
  from: string;
  body: string;
}

function burstOf(seed: number): Webhook[] {
  return Array.from({ length: BURST }, (_, index) => ({
    sid: `SM${seed.toString(16).padStart(8, "0")}${index.toString(16).padStart(24, "0")}`,
    from: SENDERS[index % SENDERS.length] as string,
    body: `seed ${seed} message ${index}`,
  }));
}

/** `ownAgent`: no built-in agent consumes the turns (they stay queued, as for an agent of your own not running). */
function writeSetup(twilio: TwilioStandIn, { ownAgent = false } = {}): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "sms-crash-"));
  const configPath = join(dir, "sms.config.json5");
  // The burst must not be rate-limited: Twilio's retries after a crash count again.
  writeFileSync(
    configPath,
    `{ channels: { sms: { enabled: true, accountSid: "${SID}", authToken: "${TOKEN}", fromNumber: "${TWILIO_NUMBER}",
       dmPolicy: "allowlist", allowFrom: ${JSON.stringify(SENDERS)}, ${ownAgent ? 'agent: { kind: "queue" },' : ""}
       inboundRateLimit: { perSenderPerMinute: 1000, perAccountPerMinute: 5000 } } } }`,
  );
  // A chunk claim left by the crash blocks its reply for this long (120 s by default).
  return {
    SMS_CONFIG: configPath,
    SMS_DATA_DIR: join(dir, "data"),
    TWILIO_API_BASE_URL: twilio.url,
    SMS_CLAIM_LEASE_SECONDS: "3",
    SMS_TWILIO_TIMEOUT_SECONDS: "1",
  };
}

/**
 * Posts signed webhooks, CONCURRENCY at a time, as Twilio would; records which got a 200. Stops at the first
 * failed connection (the gateway was killed): what was not acknowledged is Twilio's to retry.
 */
async function deliver(
  gateway: GatewayProcess,
  webhooks: Webhook[],
  acked: Set<string>,
  onAck: () => void = () => {},
): Promise<void> {
  const url = `${gateway.baseUrl}/webhooks/sms`;
  const queue = webhooks.filter((webhook) => !acked.has(webhook.sid));
  let down = false;
  const worker = async () => {
    for (let webhook = queue.shift(); webhook && !down; webhook = queue.shift()) {
      const params = {
        MessageSid: webhook.sid,
        SmsSid: webhook.sid,
        AccountSid: SID,
        From: webhook.from,
        To: TWILIO_NUMBER,
        Body: webhook.body,
        NumMedia: "0",
      };
      try {
        const status = await postForm(url, params, twilioSignature(TOKEN, url, params));
        if (status === 200) {
          acked.add(webhook.sid);
          onAck();
        }
      } catch {
        down = true;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/** One POST on its own connection, as Twilio makes them; resolves with the status, rejects when the gateway is gone. */
function postForm(url: string, params: Record<string, string>, signature: string): Promise<number> {
  const body = new URLSearchParams(params).toString();
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      agent: false,
      headers: { "content-type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Every webhook acknowledged and both queues empty: no work is left anywhere (a reply is queued before its turn is
 * deleted, and sent to Twilio before it is deleted), so nothing more can reach Twilio. Turns are read first.
 */
async function drained(gateway: GatewayProcess): Promise<true | undefined> {
  const sqs = gatewaySqs(gateway);
  try {
    if ((await queueDepth(sqs, "sms-channel-turns.fifo")) > 0) return undefined;
    return (await queueDepth(sqs, "sms-channel-replies.fifo")) === 0 ? true : undefined;
  } finally {
    sqs.destroy();
  }
}

async function deadLettered(gateway: GatewayProcess): Promise<number> {
  const sqs = gatewaySqs(gateway);
  try {
    return (
      (await queueDepth(sqs, "sms-channel-turns-dlq.fifo")) + (await queueDepth(sqs, "sms-channel-replies-dlq.fifo"))
    );
  } finally {
    sqs.destroy();
  }
}

/** Each webhook's body against the echo replies Twilio accepted for it. */
function tally(twilio: TwilioStandIn, webhooks: Webhook[]): { lost: string[]; duplicated: string[] } {
  const answers = new Map<string, number>();
  for (const message of twilio.messages) answers.set(message.body, (answers.get(message.body) ?? 0) + 1);
  const count = (webhook: Webhook) => answers.get(`You said: "${webhook.body}"`) ?? 0;
  return {
    lost: webhooks.filter((webhook) => count(webhook) === 0).map((webhook) => webhook.body),
    duplicated: webhooks.filter((webhook) => count(webhook) > 1).map((webhook) => webhook.body),
  };
}

interface Scenario {
  seed: number;
  /** Where the first kill -9 lands: after this many acknowledged webhooks, or this many replies at Twilio. */
  killAt: (random: ReturnType<typeof seededRandom>) => { acks: number } | { replies: number };
  /** Milliseconds after the first restart's banner for a second kill -9, while the recovered work runs. */
  secondKillAfterMs?: (random: ReturnType<typeof seededRandom>) => number;
}

const SCENARIOS: Scenario[] = [
  { seed: 7, killAt: (random) => ({ acks: random.int(5, 45) }) },
  { seed: 11, killAt: (random) => ({ replies: random.int(3, 30) }) },
  { seed: 23, killAt: (random) => ({ acks: random.int(10, 40) }), secondKillAfterMs: (random) => random.int(0, 400) },
];

describe("kill -9 of the local gateway loses nothing (npm start)", () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  for (const scenario of SCENARIOS) {
    it(`seed ${scenario.seed}: every acknowledged webhook is answered exactly once after crashes`, async () => {
      const random = seededRandom(scenario.seed);
      const killAt = scenario.killAt(random);
      let replies = 0;
      let onReply = () => {};
      const twilio = await startTwilioStandIn({
        accounts: { [SID]: TOKEN },
        onMessage: () => {
          replies += 1;
          onReply();
        },
      });
      cleanups.push(() => twilio.close());
      const env = writeSetup(twilio);
      const webhooks = burstOf(scenario.seed);
      const acked = new Set<string>();

      let gateway = await startGatewayProcess(env);
      cleanups.push(() => gateway.kill());
      let crashed: Promise<void> | undefined;
      const crash = () => {
        crashed ??= gateway.kill();
      };
      if ("replies" in killAt) onReply = () => replies >= killAt.replies && crash();
      await deliver(gateway, webhooks, acked, () => "acks" in killAt && acked.size >= killAt.acks && crash());
      await waitFor("the kill point", () => (crashed ? true : undefined));
      await crashed;

      gateway = await startGatewayProcess(env);
      if (scenario.secondKillAfterMs) {
        const delay = scenario.secondKillAfterMs(random);
        await Promise.all([
          deliver(gateway, webhooks, acked),
          new Promise((resolve) => setTimeout(resolve, delay)).then(() => gateway.kill()),
        ]);
        gateway = await startGatewayProcess(env);
      }
      // Twilio retries what got no 200 until it does.
      await waitFor("every webhook acknowledged", async () => {
        await deliver(gateway, webhooks, acked);
        return acked.size === webhooks.length ? true : undefined;
      });
      await waitFor("the queues to drain", () => drained(gateway), 60_000);

      expect(await deadLettered(gateway)).toBe(0);
      const { lost, duplicated } = tally(twilio, webhooks);
      expect({
        lost: lost.length,
        duplicated: duplicated.length,
        lostBodies: lost,
        duplicatedBodies: duplicated,
      }).toEqual({ lost: 0, duplicated: 0, lostBodies: [], duplicatedBodies: [] });
      expect(await gateway.stop("SIGTERM")).toBe(0);
    }, 120_000);
  }

  it("keeps the queued turns across a clean SIGTERM", async () => {
    const twilio = await startTwilioStandIn({ accounts: { [SID]: TOKEN } });
    cleanups.push(() => twilio.close());
    const env = writeSetup(twilio, { ownAgent: true });
    let gateway = await startGatewayProcess(env);
    cleanups.push(() => gateway.kill());
    const acked = new Set<string>();
    await deliver(gateway, burstOf(31).slice(0, 3), acked);
    expect(acked.size).toBe(3);
    expect(await gateway.stop("SIGTERM")).toBe(0);
    expect(gateway.output()).toContain("3 queued message(s) kept in");

    gateway = await startGatewayProcess(env);
    // Printed just after the banner, which is all startGatewayProcess waits for.
    await waitFor("the re-queued line", () => (gateway.output().includes("re-queued 3 message(s)") ? true : undefined));
    const sqs = gatewaySqs(gateway);
    try {
      expect(await queueDepth(sqs, "sms-channel-turns.fifo")).toBe(3);
    } finally {
      sqs.destroy();
    }
  }, 90_000);

  it("refuses a send fauxqs would take but could not take again (numeric MessageGroupId), so kill -9 cannot stop the restart", async () => {
    const twilio = await startTwilioStandIn({ accounts: { [SID]: TOKEN } });
    cleanups.push(() => twilio.close());
    // Nothing consumes it: the message stays queued, as it would behind a busy agent.
    const env = writeSetup(twilio, { ownAgent: true });
    let gateway = await startGatewayProcess(env);
    cleanups.push(() => gateway.kill());
    const sqs = gatewaySqs(gateway);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "sms-channel-turns.fifo" }));
    sqs.destroy();
    const answer = await fetch(gateway.sqsEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.SendMessage" },
      body: JSON.stringify({ QueueUrl, MessageBody: "hi", MessageGroupId: 5, MessageDeduplicationId: "d1" }),
    });
    await gateway.kill();
    gateway = await startGatewayProcess(env);
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain("MessageGroupId: expected a string");
  }, 90_000);

  it("sets aside a journaled message it cannot queue again, says so in one line, and starts", async () => {
    const twilio = await startTwilioStandIn({ accounts: { [SID]: TOKEN } });
    cleanups.push(() => twilio.close());
    const env = writeSetup(twilio, { ownAgent: true });
    mkdirSync(env.SMS_DATA_DIR as string);
    const send = (id: string, groupId?: string) =>
      journalLine({ op: "send", id, queue: "turns", body: id, dedupeId: id, ...(groupId ? { groupId } : {}) });
    writeFileSync(
      join(env.SMS_DATA_DIR as string, QUEUE_JOURNAL_FILE),
      journalLine({ format: JOURNAL_FORMAT, version: JOURNAL_VERSION }) + send("fine", "g") + send("groupless"),
    );
    const gateway = await startGatewayProcess(env);
    cleanups.push(() => gateway.kill());
    const rejectedPath = join(env.SMS_DATA_DIR as string, REJECTED_FILE);
    const notes = gateway
      .output()
      .split("\n")
      .filter((line) => line.includes(rejectedPath));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/turns .*MessageGroupId/);
    expect(readFileSync(rejectedPath, "utf8")).toContain('"body":"groupless"');
    const sqs = gatewaySqs(gateway);
    try {
      expect(await queueDepth(sqs, "sms-channel-turns.fifo")).toBe(1);
    } finally {
      sqs.destroy();
    }
  }, 90_000);

  it("stops the start in one line when the journal cannot be read at all", async () => {
    const twilio = await startTwilioStandIn({ accounts: { [SID]: TOKEN } });
    cleanups.push(() => twilio.close());
    const env = writeSetup(twilio);
    mkdirSync(join(env.SMS_DATA_DIR as string, QUEUE_JOURNAL_FILE), { recursive: true });
    const failed = await runFailingGateway(env);
    expect(failed.code).toBe(1);
    expect(failed.output.trim().split("\n")).toEqual([expect.stringContaining("cannot be read")]);
  }, 90_000);

  it("refuses a second gateway on the same data dir with one line saying what to do", async () => {
    const twilio = await startTwilioStandIn({ accounts: { [SID]: TOKEN } });
    cleanups.push(() => twilio.close());
    const env = writeSetup(twilio);
    const first = await startGatewayProcess(env);
    cleanups.push(() => first.kill());
    const second = await runFailingGateway(env);
    expect(second.code).toBe(1);
    const lines = second.output.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(env.SMS_DATA_DIR);
    expect(lines[0]).toMatch(/already|in use/);
    expect(lines[0]).toContain("SMS_DATA_DIR");
    expect(second.output).not.toMatch(/\n\s+at /);
  }, 90_000);
});
