import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { configPathFrom } from "../lib/config/load.ts";
import { deployProblems } from "../lib/deploy/preflight.ts";

// `npm run deploy [-- <cdk deploy options>]`: the preflight, then `cdk deploy` with the same options. A
// `--profile` given to CDK is the profile the preflight checks.

const args = process.argv.slice(2);
const profileAt = args.findIndex((arg) => arg === "--profile" || arg.startsWith("--profile="));
const profile = profileAt < 0 ? undefined : (args[profileAt]?.split("=")[1] ?? args[profileAt + 1]);
const env: Record<string, string | undefined> = { ...process.env, ...(profile ? { AWS_PROFILE: profile } : {}) };
const configPath = configPathFrom(env);
const awsConfigPath = env.AWS_CONFIG_FILE || join(homedir(), ".aws", "config");
const problems = await deployProblems({
  env,
  configPath,
  configExists: existsSync(configPath),
  ...(existsSync(awsConfigPath) ? { awsConfigFile: readFileSync(awsConfigPath, "utf8") } : {}),
  credentials: async () => {
    const { defaultProvider } = await import("@aws-sdk/credential-provider-node");
    return defaultProvider({ timeout: 2000, maxRetries: 0, ...(profile ? { profile } : {}) })();
  },
});
if (problems.length > 0) {
  console.error(`cannot deploy yet:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  console.error("Then: npx cdk bootstrap (once per account and region), and npm run deploy again.");
  process.exitCode = 1;
} else {
  const cdk = spawn("npx", ["cdk", "deploy", "--no-notices", ...args], {
    stdio: "inherit",
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: "true" },
  });
  cdk.on("exit", (code) => {
    process.exitCode = code ?? 1;
  });
}
