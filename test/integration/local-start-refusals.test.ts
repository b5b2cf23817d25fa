import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { twilioSignature } from "../../lib/twilio/signature.ts";
import { startGatewayProcess } from "../support/local-gateway-process.ts";

const SID = `AC${"5e".repeat(16)}`;

function configFile(sms: string): { SMS_CONFIG: string; SMS_DATA_DIR: string } {
  const dir = mkdtempSync(join(tmpdir(), "sms-refuse-"));
  const path = join(dir, "sms.config.json5");
  writeFileSync(path, `{ channels: { sms: { accountSid: "${SID}", fromNumber: "+15551234567", ${sms} } } }`);
  return { SMS_CONFIG: path, SMS_DATA_DIR: join(dir, "data") };
}

/** The start fails: the message it printed, which must be the reason in plain words, with no stack trace. */
async function refusal(env: Record<string, string>, cwd?: string): Promise<string> {
  const error = await startGatewayProcess(env, cwd === undefined ? {} : { cwd }).then(
    async (gateway) => {
      await gateway.stop();
      throw new Error("the gateway started");
    },
    (failure: Error) => failure.message,
  );
  expect(error).toMatch(/gateway exited with 1/);
  expect(error).not.toMatch(/\n\s+at /);
  return error;
}

describe("the local gateway refuses to start, in one plain message", () => {
  it("when PORT and SQS_PORT name the same port", async () => {
    expect(await refusal({ ...configFile('authToken: "t"'), PORT: "8788", SQS_PORT: "8788" })).toContain(
      "\nPORT and SQS_PORT are both 8788: the gateway and its embedded SQS need a port each; set one to another\n",
    );
  }, 60_000);

  it("when SMS_DATA_DIR is a file, or the demo's saved credentials are damaged", async () => {
    const { SMS_CONFIG, SMS_DATA_DIR } = configFile('authToken: "t"');
    expect(await refusal({ SMS_CONFIG, SMS_DATA_DIR: SMS_CONFIG })).toContain(
      `\nSMS_DATA_DIR ${SMS_CONFIG} is a file (or inside one); set it to a folder\n`,
    );
    mkdirSync(join(SMS_DATA_DIR, "demo"), { recursive: true });
    writeFileSync(join(SMS_DATA_DIR, "demo", "demo-account.json"), "{");
    const dir = mkdtempSync(join(tmpdir(), "sms-refuse-demo-"));
    expect(await refusal({ SMS_CONFIG: "", SMS_DATA_DIR }, dir)).toContain(
      "demo-account.json: damaged (expected accountSid and authToken): delete it and start again",
    );
  }, 60_000);

  it("when a SecretRef names an environment variable that is not set", async () => {
    const env = configFile(`authToken: { source: "env", id: "SMS_TEST_MISSING_TOKEN" },
      agent: { kind: "openai", baseUrl: "http://127.0.0.1:9/v1", model: "m", apiKey: { source: "env", id: "SMS_TEST_MISSING_KEY" } }`);
    const message = await refusal(env);
    expect(message).toContain("channels.sms.authToken: environment variable SMS_TEST_MISSING_TOKEN is not set");
    expect(message).toContain("channels.sms.agent.apiKey: environment variable SMS_TEST_MISSING_KEY is not set");
  }, 60_000);

  it("when SMS_CONFIG names a file that does not exist (a typo must not start the demo account)", async () => {
    const { SMS_DATA_DIR } = configFile('authToken: "t"');
    const missing = join(SMS_DATA_DIR, "..", "sms.confg.json5");
    expect(await refusal({ SMS_CONFIG: missing, SMS_DATA_DIR })).toContain(
      `\nSMS_CONFIG is set to ${missing}, but there is no such file (fix the path, or unset SMS_CONFIG to use ./sms.config.json5)\n`,
    );
  }, 60_000);

  it("when SMS_ECHO_AGENT (retired) is set: the agent is chosen in the config", async () => {
    const env = { ...configFile('authToken: "t"'), SMS_ECHO_AGENT: "off" };
    expect(await refusal(env)).toContain(
      'SMS_ECHO_AGENT is retired: the agent is chosen in the config file (agent: { kind: "queue" }',
    );
  }, 60_000);

  it("serves on a machine whose AWS config has a Region but no credentials (the embedded engines need none)", async () => {
    const home = mkdtempSync(join(tmpdir(), "sms-home-"));
    mkdirSync(join(home, ".aws"));
    writeFileSync(join(home, ".aws", "config"), "[default]\nregion = eu-west-1\n");
    const env = {
      ...configFile('authToken: "t", dmPolicy: "open", allowFrom: ["*"]'),
      HOME: home,
      AWS_ACCESS_KEY_ID: "",
      AWS_SECRET_ACCESS_KEY: "",
      AWS_SESSION_TOKEN: "",
      AWS_PROFILE: "",
      AWS_REGION: "",
    };
    const gateway = await startGatewayProcess(env);
    try {
      const url = `${gateway.baseUrl}/webhooks/sms`;
      const sid = `SM${"9".repeat(32)}`;
      const params = { MessageSid: sid, AccountSid: SID, From: "+15557654321", To: "+15551234567", Body: "hi" };
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "X-Twilio-Signature": twilioSignature("t", url, params),
        },
        body: new URLSearchParams(params).toString(),
      });
      expect(response.status).toBe(200);
    } finally {
      await gateway.stop();
    }
  }, 60_000);

  it("starts without an agent and says in one line that the echo agent answers", async () => {
    const gateway = await startGatewayProcess(configFile('authToken: "t"'));
    try {
      expect(gateway.output()).toContain("agent: the built-in echo agent (no agent in the config; see README, Agents)");
    } finally {
      await gateway.stop();
    }
  }, 60_000);
});
