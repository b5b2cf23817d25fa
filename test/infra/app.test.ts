import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadDeployConfig } from "../../infra/app.ts";
import { loadConfig } from "../../lib/config/load.ts";
import { ACCOUNT_SID, PROJECT_ROOT } from "../support/synth.ts";

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command in the project root with a clean environment: no TWILIO_* leaking in from the developer's shell. */
function run(command: string, args: string[], env: Record<string, string>): Promise<RunResult> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("TWILIO_")));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env: { ...base, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const tsx = join(PROJECT_ROOT, "node_modules", ".bin", "tsx");
const appEntry = join(PROJECT_ROOT, "infra", "app.ts");

interface TemplateFile {
  Resources: Record<string, { Type: string }>;
  Outputs: Record<string, unknown>;
}

function readTemplate(path: string): TemplateFile {
  return JSON.parse(readFileSync(path, "utf8")) as TemplateFile;
}

function countByType(template: TemplateFile): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of Object.values(template.Resources)) counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
  return counts;
}

describe("infra/app.ts", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "sms-infra-app-"));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a bad config, naming the key, before synthesizing anything", async () => {
    const config = join(dir, "bad.json5");
    writeFileSync(
      config,
      `{ channels: { sms: { accountSid: "${ACCOUNT_SID}", authToken: "t", fromNumber: "+15551234567",
         dmPolicy: "allowlist", allowFrom: [] } } }`,
    );
    const result = await run(tsx, [appEntry], { SMS_CONFIG: config, CDK_OUTDIR: join(dir, "bad-out") });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("channels.sms.allowFrom");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, "bad-out"))).toBe(false);
  });

  /** Runs `load` in an empty folder, so ./sms.config.json5 (the default path) is absent whatever the checkout has. */
  function inEmptyFolder<T>(load: () => T): T {
    const cwd = process.cwd();
    process.chdir(mkdtempSync(join(dir, "empty-")));
    try {
      return load();
    } finally {
      process.chdir(cwd);
    }
  }

  it("falls back to the example config, with a warning, when there is no config and no TWILIO_* env", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const config = inEmptyFolder(() => loadDeployConfig({ SMS_CONFIG: " ", TWILIO_ACCOUNT_SID: " " }));
      expect(config).toEqual(loadConfig({}, join(PROJECT_ROOT, "sms.config.example.json5")));
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("sms.config.example.json5"));
    } finally {
      warn.mockRestore();
    }
  });

  it("uses TWILIO_* env alone when there is no config file, without the example", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const config = inEmptyFolder(() =>
        loadDeployConfig({
          TWILIO_ACCOUNT_SID: ACCOUNT_SID,
          TWILIO_AUTH_TOKEN: "env-token",
          TWILIO_PHONE_NUMBER: "+15557654321",
        }),
      );
      expect(config.accounts[0]).toMatchObject({ accountSid: ACCOUNT_SID, fromNumber: "+15557654321" });
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it("refuses an SMS_CONFIG naming a missing file, in one line, instead of deploying the example or env", async () => {
    const missing = join(dir, "sms.prod.json5");
    const line = `SMS_CONFIG is set to ${missing}, but there is no such file (fix the path, or unset SMS_CONFIG to use ./sms.config.json5)`;
    expect(() => loadDeployConfig({ SMS_CONFIG: missing, TWILIO_ACCOUNT_SID: ACCOUNT_SID })).toThrow(line);
    const result = await run(tsx, [appEntry], { SMS_CONFIG: missing, CDK_OUTDIR: join(dir, "missing-out") });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`${line}\n`);
    expect(existsSync(join(dir, "missing-out"))).toBe(false);
  });

  it("ships an example config that validates, uses pairing and the stage URL", () => {
    const config = loadConfig({}, join(PROJECT_ROOT, "sms.config.example.json5"));
    expect(config.accounts).toHaveLength(1);
    expect(config.accounts[0]).toMatchObject({ id: "default", dmPolicy: "pairing", webhookPath: "/webhooks/sms" });
    expect(config.accounts[0]?.publicWebhookUrl).toBeUndefined();
  });

  it("synthesizes through the real CDK CLI, offline, with cdk-nag on", { timeout: 180_000 }, async () => {
    const config = join(dir, "sms.config.json5");
    writeFileSync(
      config,
      `{ channels: { sms: { accountSid: "${ACCOUNT_SID}", authToken: "cli-token-5d2f", fromNumber: "+15551234567",
         accounts: { support: { fromNumber: "+15551230000",
                                authToken: { source: "env", id: "SMS_TEST_UNSET_TOKEN" } } } } } }`,
    );
    const outdir = join(dir, "cdk-out");
    const result = await run(
      "npx",
      ["cdk", "synth", "--no-notices", "-q", "-o", outdir, "-c", "stackName=SmsCliTest"],
      {
        CDK_DISABLE_CLI_TELEMETRY: "true",
        SMS_CONFIG: config,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const templatePath = join(outdir, "SmsCliTest.template.json");
    expect(existsSync(templatePath)).toBe(true);
    const template = readTemplate(templatePath);
    expect(countByType(template)).toMatchObject({
      "AWS::Lambda::Function": 4,
      "AWS::ApiGateway::RestApi": 1,
      "AWS::ApiGateway::Method": 2,
      "AWS::SQS::Queue": 4,
      "AWS::DynamoDB::Table": 1,
      "AWS::SecretsManager::Secret": 2,
      "AWS::Lambda::Url": 1,
    });
    expect(Object.keys(template.Outputs)).toEqual(
      expect.arrayContaining(["WebhookUrl", "WebhookUrlSupport", "AdminUrl"]),
    );
    expect(readFileSync(templatePath, "utf8")).not.toContain("cli-token-5d2f");
    // No agent configured: synth says, in one line per account, that the echo agent answers.
    expect(result.stderr).toContain('Note: SMS account "default" has no agent in the config');
    expect(result.stderr).toContain(
      "Note: channels.sms.authToken (written in the config): on AWS the Twilio auth token",
    );
    // An env SecretRef whose variable is unset still synthesizes; the note says what it becomes on AWS.
    expect(result.stderr).toContain(
      "Note: channels.sms.accounts.support.authToken (env SMS_TEST_UNSET_TOKEN, which is not read on AWS): on AWS " +
        'the Twilio auth token of account "support" is read from a Secrets Manager secret this stack creates',
    );
  });

  it("retires -c echoAgent with a message saying where the agent is chosen", async () => {
    const config = join(dir, "agent.json5");
    writeFileSync(
      config,
      `{ channels: { sms: { accountSid: "${ACCOUNT_SID}", authToken: "t", fromNumber: "+15551234567" } } }`,
    );
    const result = await run(tsx, [appEntry], {
      SMS_CONFIG: config,
      CDK_CONTEXT_JSON: JSON.stringify({ echoAgent: "false" }),
      CDK_OUTDIR: join(dir, "retired-out"),
    });
    const stacks = join(dir, "retired-out", "manifest.json");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      '-c echoAgent is retired: choose the agent in the config file. agent: { kind: "queue" }',
    );
    expect(existsSync(stacks)).toBe(false);
  });
});
