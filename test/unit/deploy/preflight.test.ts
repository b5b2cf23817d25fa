import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deployProblems, deployRegion } from "../../../lib/deploy/preflight.ts";
import { PROJECT_ROOT } from "../../support/synth.ts";

const noCredentials = async () => {
  throw new Error("Could not load credentials from any providers");
};

describe("npm run deploy: what is checked before CDK runs", () => {
  it("finds the region in the environment, else in the profile's section of the AWS config file", () => {
    const file = "[default]\nregion = us-east-1\n\n[profile work]\noutput = json\nregion=eu-west-1\n";
    expect(deployRegion({ AWS_REGION: "ap-southeast-2" }, file)).toBe("ap-southeast-2");
    expect(deployRegion({ AWS_DEFAULT_REGION: "ca-central-1" }, file)).toBe("ca-central-1");
    expect(deployRegion({}, file)).toBe("us-east-1");
    expect(deployRegion({ AWS_PROFILE: "work" }, file)).toBe("eu-west-1");
    expect(deployRegion({ AWS_PROFILE: "other" }, file)).toBeUndefined();
    expect(deployRegion({ AWS_REGION: "  " }, undefined)).toBeUndefined();
  });

  it("names every problem with what to do: no config, no region, no credentials", async () => {
    const problems = await deployProblems({
      env: {},
      configExists: false,
      configPath: "./sms.config.json5",
      credentials: noCredentials,
    });
    expect(problems).toEqual([
      expect.stringMatching(/^no config at \.\/sms\.config\.json5: copy sms\.config\.example\.json5/),
      expect.stringMatching(/^no AWS region: set AWS_REGION/),
      expect.stringMatching(/^no AWS credentials: run `aws configure` or `aws sso login`/),
    ]);
  });

  it("names an SMS_CONFIG that points at no file, even when TWILIO_* variables could stand in", async () => {
    const problems = await deployProblems({
      env: { SMS_CONFIG: "./sms.prod.json5", TWILIO_ACCOUNT_SID: "AC1", AWS_REGION: "eu-west-1" },
      configExists: false,
      configPath: "./sms.prod.json5",
      credentials: async () => ({ accessKeyId: "a" }),
    });
    expect(problems).toEqual([
      "SMS_CONFIG is set to ./sms.prod.json5, but there is no such file (fix the path, or unset SMS_CONFIG to use ./sms.config.json5)",
    ]);
  });

  it("passes with a config, a region and credentials (TWILIO_* variables stand in for a config file)", async () => {
    const ready = { configPath: "x", credentials: async () => ({ accessKeyId: "a" }) };
    expect(await deployProblems({ ...ready, env: { AWS_REGION: "eu-west-1" }, configExists: true })).toEqual([]);
    const fromEnv = { AWS_REGION: "eu-west-1", TWILIO_ACCOUNT_SID: "AC1" };
    expect(await deployProblems({ ...ready, env: fromEnv, configExists: false })).toEqual([]);
  });

  it("`npm run deploy` exits 1 and says what is missing, before any CDK work", async () => {
    const dir = mkdtempSync(join(tmpdir(), "preflight-"));
    writeFileSync(join(dir, "sms.config.json5"), "{}");
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      SMS_CONFIG: join(dir, "missing.json5"),
      AWS_CONFIG_FILE: join(dir, "no-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-credentials"),
      AWS_EC2_METADATA_DISABLED: "true",
    };
    const result = await runDeploy([], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cannot deploy yet:");
    // SMS_CONFIG was set explicitly: a missing file is a typo to fix, not a fresh checkout.
    expect(result.stderr).toContain(
      `  - SMS_CONFIG is set to ${join(dir, "missing.json5")}, but there is no such file (fix the path, or unset SMS_CONFIG to use ./sms.config.json5)\n`,
    );
    expect(result.stderr).not.toContain("no config at");
    expect(result.stderr).toContain("no AWS region");
    expect(result.stderr).toContain("no AWS credentials");
    expect(result.stderr).toContain("npx cdk bootstrap");

    // Options after `npm run deploy --` go to CDK; a --profile there is the profile checked.
    writeFileSync(join(dir, "aws-config"), "[profile work]\nregion = eu-west-1\n");
    const withProfile = await runDeploy(["--profile", "work"], { ...env, AWS_CONFIG_FILE: join(dir, "aws-config") });
    expect(withProfile.code).toBe(1);
    expect(withProfile.stderr).not.toContain("no AWS region");
    expect(withProfile.stderr).toContain("no AWS credentials");
  });
});

function runDeploy(args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "infra/deploy.ts", ...args],
      { cwd: PROJECT_ROOT, env, timeout: 60_000 },
      (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    );
  });
}
