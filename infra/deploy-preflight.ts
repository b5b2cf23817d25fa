import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { configPathFrom } from "../lib/config/load.ts";
import { deployProblems } from "../lib/deploy/preflight.ts";

// `npm run deploy` runs this first; CDK runs only when it exits 0.

const env = process.env;
const configPath = configPathFrom(env);
const awsConfigPath = env.AWS_CONFIG_FILE || join(homedir(), ".aws", "config");
const problems = await deployProblems({
  env,
  configPath,
  configExists: existsSync(configPath),
  ...(existsSync(awsConfigPath) ? { awsConfigFile: readFileSync(awsConfigPath, "utf8") } : {}),
  credentials: async () => {
    const { defaultProvider } = await import("@aws-sdk/credential-provider-node");
    return defaultProvider({ timeout: 2000, maxRetries: 0 })();
  },
});
if (problems.length > 0) {
  console.error(`cannot deploy yet:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  console.error("Then: npx cdk bootstrap (once per account and region), and npm run deploy again.");
  process.exitCode = 1;
}
