import { mkdtempSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetQueueUrlCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { demoDataDir } from "../../lib/config/local-config.ts";
import {
  type GatewayProcess,
  gatewaySqs,
  queueDepth,
  startGatewayProcess,
  waitFor,
} from "../support/local-gateway-process.ts";
import { smsctl } from "../support/smsctl-process.ts";

const APPROVED_IN_DEMO = "+15557654301";
const PENDING_IN_DEMO = "+15557654302";
const APPROVED_IN_CONFIG = "+15557654309";
const PARKED = "sms-channel-replies-dlq.fifo";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * `npm start` in `cwd`, a folder where ./sms.config.json5 appears or goes, always on the same data dir; `smsctl` run
 * there finds the gateway as a user's would (PORT, the admin token in the data dir).
 */
function workspace() {
  const cwd = mkdtempSync(join(tmpdir(), "sms-demo-apart-"));
  const configPath = join(cwd, "sms.config.json5");
  const env = { SMS_CONFIG: "", SMS_DATA_DIR: join(cwd, "data"), TWILIO_ACCOUNT_SID: "", SMS_LOCAL_TWILIO: "stand-in" };
  return {
    dataDir: env.SMS_DATA_DIR,
    writeConfig: () =>
      writeFileSync(
        configPath,
        `{ channels: { sms: { accountSid: "AC${"8".repeat(32)}", authToken: "real-token", fromNumber: "+15551234567",
           dmPolicy: "pairing" } } }`,
      ),
    removeConfig: () => rmSync(configPath),
    async start(): Promise<GatewayProcess> {
      const gateway = await startGatewayProcess(env, { cwd });
      cleanups.push(() => gateway.kill());
      return gateway;
    },
    async smsctl(gateway: GatewayProcess, ...args: string[]): Promise<string> {
      const result = await smsctl(args, { ...env, PORT: new URL(gateway.baseUrl).port }, cwd);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      return result.stdout;
    },
  };
}

async function parked(gateway: GatewayProcess): Promise<number> {
  const sqs = gatewaySqs(gateway);
  try {
    return await queueDepth(sqs, PARKED);
  } finally {
    sqs.destroy();
  }
}

describe("the demo account's data stays apart from a config file's on the same data dir (npm start)", () => {
  it("approvals, pairing requests and queued messages of the demo never reach the real account, and come back to the demo", async () => {
    const at = workspace();

    const demo = await at.start();
    expect(demo.output()).toMatch(
      /data: the demo account's in \S+\/data\/demo, apart from a config file's in \S+\/data /,
    );
    await at.smsctl(demo, "allow", "add", APPROVED_IN_DEMO);
    await at.smsctl(demo, "simulate", "--from", PENDING_IN_DEMO, "--body", "hello");
    expect(await at.smsctl(demo, "pairing", "list")).toContain(PENDING_IN_DEMO);
    // A message nobody consumes, as a dead letter waiting for the operator would be.
    const sqs = gatewaySqs(demo);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: PARKED }));
    await sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: "{}", MessageGroupId: "g", MessageDeduplicationId: "d" }),
    );
    sqs.destroy();
    expect(await demo.stop()).toBe(0);
    expect(demo.output()).toContain("1 queued message(s) kept in");

    at.writeConfig();
    const real = await at.start();
    expect(real.output()).toContain("config: ");
    expect(real.output()).not.toContain("demo account");
    const allowed = await at.smsctl(real, "allow", "list");
    expect(allowed).not.toContain(APPROVED_IN_DEMO);
    expect(await at.smsctl(real, "pairing", "list")).not.toContain(PENDING_IN_DEMO);
    expect(await parked(real)).toBe(0);
    expect(real.output()).not.toContain("re-queued");
    await at.smsctl(real, "allow", "add", APPROVED_IN_CONFIG);
    expect(await real.stop()).toBe(0);

    at.removeConfig();
    const demoAgain = await at.start();
    const demoAllowed = await at.smsctl(demoAgain, "allow", "list");
    expect(demoAllowed).toContain(APPROVED_IN_DEMO);
    expect(demoAllowed).not.toContain(APPROVED_IN_CONFIG);
    expect(await at.smsctl(demoAgain, "pairing", "list")).toContain(PENDING_IN_DEMO);
    await waitFor("the demo's parked message", async () => ((await parked(demoAgain)) === 1 ? true : undefined));
    expect(await demoAgain.stop()).toBe(0);

    at.writeConfig();
    const realAgain = await at.start();
    expect(await at.smsctl(realAgain, "allow", "list")).toContain(APPROVED_IN_CONFIG);
    expect(await realAgain.stop()).toBe(0);
  }, 240_000);

  it("moves the demo data an earlier version kept in the data dir itself into the demo's folder, approvals kept", async () => {
    const at = workspace();
    const demo = await at.start();
    await at.smsctl(demo, "allow", "add", APPROVED_IN_DEMO);
    expect(await demo.stop()).toBe(0);
    // The layout of earlier versions: the demo's store and credentials in the data dir itself.
    const demoDir = demoDataDir(at.dataDir);
    for (const entry of readdirSync(demoDir)) renameSync(join(demoDir, entry), join(at.dataDir, entry));
    rmdirSync(demoDir);

    const moved = await at.start();
    expect(moved.output()).toContain(`moved the demo account's data from ${at.dataDir} to ${demoDir}`);
    expect(await at.smsctl(moved, "allow", "list")).toContain(APPROVED_IN_DEMO);
    // simulate signs with the demo's credentials, which moved along.
    await at.smsctl(moved, "simulate", "--from", APPROVED_IN_DEMO, "--body", "still me");
    await waitFor("the echo answer", () => (moved.output().includes('You said: "still me"') ? true : undefined));
    expect(await moved.stop()).toBe(0);
  }, 120_000);
});
