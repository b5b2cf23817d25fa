/**
 * The README's "Your own consumer, locally" runs as written: its config block starts the gateway (npm start's
 * main.ts, with the embedded Twilio stand-in), its consumer block answers the turns over the documented endpoint,
 * and the reply goes out. If the README drifts from the gateway, this fails.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayProcess, startGatewayProcess, waitFor } from "../support/local-gateway-process.ts";
import { smsctl } from "../support/smsctl-process.ts";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const README = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
const SENDER = "+15557654321";

/** The one fenced block of that language that starts with `opening` (its file name comment). */
function readmeBlock(language: string, opening: string): string {
  const blocks = [...README.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].filter(
    ([, lang, body]) => lang === language && body?.startsWith(opening),
  );
  expect(blocks.map(([block]) => block.slice(0, 80))).toHaveLength(1);
  return blocks[0]?.[2] ?? "";
}

/** A port nothing listens on right now, for SQS_PORT (the consumer reads the same variable). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no TCP port");
  return address.port;
}

describe("README: your own consumer of the turns queue, against npm start", () => {
  let gateway: GatewayProcess;
  let consumer: ChildProcess;
  let consumerOutput = "";
  let sqsPort: number;
  let cliEnv: Record<string, string>;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "sms-own-consumer-"));
    const configPath = join(dir, "my-agent.config.json5");
    writeFileSync(configPath, readmeBlock("json5", "// my-agent.config.json5\n"));
    sqsPort = await freePort();
    // The README's commands, with this test's paths and ports.
    expect(README).toContain("SMS_CONFIG=my-agent.config.json5 SMS_LOCAL_TWILIO=stand-in npm start");
    expect(README).toContain(`SMS_CONFIG=my-agent.config.json5 npx smsctl simulate --from ${SENDER} --body "hello"`);
    const dataDir = join(dir, "data");
    gateway = await startGatewayProcess({
      SMS_CONFIG: configPath,
      SMS_DATA_DIR: dataDir,
      SMS_LOCAL_TWILIO: "stand-in",
      SQS_PORT: String(sqsPort),
    });
    cliEnv = { SMS_CONFIG: configPath, SMS_DATA_DIR: dataDir, PORT: new URL(gateway.baseUrl).port };

    // `node my-agent.mjs` from the repo folder: module code on stdin resolves packages from the working directory.
    consumer = spawn(process.execPath, ["--input-type=module", "-"], {
      cwd: REPO_ROOT,
      env: { ...process.env, SQS_PORT: String(sqsPort) },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const collect = (chunk: Buffer) => {
      consumerOutput += chunk.toString();
    };
    consumer.stdout?.on("data", collect);
    consumer.stderr?.on("data", collect);
    consumer.stdin?.end(readmeBlock("js", "// my-agent.mjs:"));
  }, 90_000);

  afterAll(async () => {
    if (consumer && consumer.exitCode === null) consumer.kill("SIGKILL");
    await gateway?.stop();
  });

  it("prints a fixed SQS endpoint and queue URLs any URL parser reads, and says the turns are yours", () => {
    const banner = gateway.output();
    expect(banner).toContain(`queues: SQS endpoint http://127.0.0.1:${sqsPort} (region us-east-1, any credentials`);
    const turns = /^ {2}turns +(\S+) \(visibility (\d+) s; after 10 receives/m.exec(banner);
    expect(new URL(turns?.[1] ?? "").href).toBe(`http://127.0.0.1:${sqsPort}/000000000000/sms-channel-turns.fifo`);
    // As on AWS when no agent function runs: six times the 30 s your consumer is given.
    expect(turns?.[2]).toBe("180");
    const replies = /^ {2}replies +(\S+) /m.exec(banner);
    expect(new URL(replies?.[1] ?? "").href).toBe(`http://127.0.0.1:${sqsPort}/000000000000/sms-channel-replies.fifo`);
    expect(banner).toContain("agent: your own consumer of the turns queue");
  });

  it("the README's consumer answers a simulated SMS, and the reply goes out through the Twilio stand-in", async () => {
    const simulated = await smsctl(["simulate", "--from", SENDER, "--body", "hello"], cliEnv);
    expect(simulated).toMatchObject({ code: 0, stderr: "" });
    expect(simulated.stdout).toContain(
      "queued as a turn for the agent: your own consumer of the turns queue answers it",
    );
    // The stand-in prints the SMS it accepted; the outbound side then prints what it sent.
    const sent =
      /^\[reply\] default to \+155\*{4}4321 my-agent:default:SM[0-9a-f]{32}: sent 1 text, 1 segment \(SM[0-9a-f]{32}\)$/m;
    await waitFor(`the consumer's reply sent\n${consumerOutput}`, () =>
      sent.test(gateway.output()) ? true : undefined,
    );
    expect(gateway.output()).toContain("[sms out] to +155****4321: Got it: hello\n");
  }, 60_000);

  it("carries an emoji both ways through the README's consumer", async () => {
    expect((await smsctl(["simulate", "--from", SENDER, "--body", "on my way 🚗"], cliEnv)).code).toBe(0);
    await waitFor(`the emoji reply at the stand-in\n${consumerOutput}`, () =>
      gateway.output().includes("[sms out] to +155****4321: Got it: on my way 🚗") ? true : undefined,
    );
  }, 60_000);

  it("simulate says why a stranger's message was dropped and how to let them in", async () => {
    const simulated = await smsctl(["simulate", "--from", "+15550001111", "--body", "hi?"], cliEnv);
    expect(simulated.code).toBe(0);
    expect(simulated.stdout).toContain(": dropped: the sender is not in allowFrom and not approved.");
    expect(simulated.stdout).toContain("allow the sender with: npx smsctl allow add +15550001111");
  }, 30_000);
});
