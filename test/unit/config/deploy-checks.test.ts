import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDeployConfig } from "../../../infra/app.ts";
import { ConfigError } from "../../../lib/config/config-error.ts";
import { envFallbackNotes } from "../../../lib/config/deploy-checks.ts";

const SID = `AC${"1".repeat(32)}`;

function configFile(sms: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "sms-deploy-checks-")), "sms.config.json5");
  writeFileSync(
    path,
    `{ channels: { sms: { accountSid: "${SID}", authToken: "t", fromNumber: "+15551234567", ${sms} } } }`,
  );
  return path;
}

function refusal(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("what synth refuses and says about the config it deploys", () => {
  it("refuses signature checks turned off, in the file or from the deployer's shell, naming where", () => {
    const inFile = refusal(() =>
      loadDeployConfig({ SMS_CONFIG: configFile("dangerouslyDisableSignatureValidation: true") }),
    );
    expect(inFile.issues).toEqual([
      {
        path: "channels.sms.dangerouslyDisableSignatureValidation",
        message: expect.stringContaining("signature checks cannot be turned off in a deployed stack"),
      },
    ]);
    const fromShell = refusal(() =>
      loadDeployConfig({ SMS_CONFIG: configFile(""), SMS_DANGEROUSLY_DISABLE_SIGNATURE_VALIDATION: "true" }),
    );
    expect(fromShell.issues[0]?.path).toBe(
      "channels.sms.dangerouslyDisableSignatureValidation (from SMS_DANGEROUSLY_DISABLE_SIGNATURE_VALIDATION)",
    );
  });

  it("deploys a disabled account's setting without complaint: it receives nothing", () => {
    const config = loadDeployConfig({
      SMS_CONFIG: configFile("enabled: false, dangerouslyDisableSignatureValidation: true"),
    });
    expect(config.accounts[0]?.enabled).toBe(false);
  });

  it("names each key the default account took from this shell, but not the token (the secret notes cover it)", () => {
    const config = loadDeployConfig({
      SMS_CONFIG: configFile(""),
      SMS_ALLOWED_USERS: "+15557654321",
      SMS_TEXT_CHUNK_LIMIT: "800",
      TWILIO_MESSAGING_SERVICE_SID: `MG${"2".repeat(32)}`,
    });
    expect(envFallbackNotes(config)).toEqual([
      "Note: channels.sms.messagingServiceSid comes from TWILIO_MESSAGING_SERVICE_SID in this shell; the deployed functions keep it until you deploy without it.",
      "Note: channels.sms.allowFrom comes from SMS_ALLOWED_USERS in this shell; the deployed functions keep it until you deploy without it.",
      "Note: channels.sms.textChunkLimit comes from SMS_TEXT_CHUNK_LIMIT in this shell; the deployed functions keep it until you deploy without it.",
    ]);
    expect(envFallbackNotes(loadDeployConfig({ SMS_CONFIG: configFile(""), TWILIO_AUTH_TOKEN: "x" }))).toEqual([]);
  });
});
