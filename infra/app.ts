import { existsSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { agentNotes } from "../lib/config/agent-notes.ts";
import { ConfigError } from "../lib/config/config-error.ts";
import { envFallbackNotes, signatureChecksOffOnAws } from "../lib/config/deploy-checks.ts";
import { type Env, envValue } from "../lib/config/env-fallbacks.ts";
import { configPathFrom, loadConfig, requireConfigFile } from "../lib/config/load.ts";
import { secretsOnAws } from "../lib/config/secret-notes.ts";
import type { ResolvedConfig } from "../lib/config/types.ts";
import { SmsChannelStack } from "./stack.ts";

/**
 * `npx cdk synth|deploy` runs this (cdk.json). Context: `-c stackName=...`, `-c nag=false`, and
 * `-c apiGatewayLogRole=true` on the first deploy into an account/region whose API Gateway has no CloudWatch role.
 * The agent is chosen in the config file (`agent`), never by a flag: a flag not saved anywhere is how a plain
 * redeploy would bring the echo agent back as a second consumer of the turns queue.
 */

const EXAMPLE_CONFIG = fileURLToPath(new URL("../sms.config.example.json5", import.meta.url));

/**
 * SMS_CONFIG (default ./sms.config.json5), with the TWILIO_* env fallbacks. With neither, a first `cdk synth` in a
 * fresh checkout still works, on the example's placeholders, and says so loudly; an SMS_CONFIG naming a missing
 * file is an error instead.
 */
export function loadDeployConfig(env: Env): ResolvedConfig {
  requireConfigFile(env);
  const path = configPathFrom(env);
  const twilioEnv = Object.keys(env).some((name) => name.startsWith("TWILIO_") && envValue(env, name) !== undefined);
  if (!existsSync(path) && !twilioEnv) {
    console.warn(
      `WARNING: no config at ${path} and no TWILIO_* variables; synthesizing with sms.config.example.json5 ` +
        "(placeholder account). Copy it to sms.config.json5 (or set SMS_CONFIG) and edit it before deploying.",
    );
    return loadConfig(env, EXAMPLE_CONFIG);
  }
  const config = loadConfig(env, path);
  const unsafe = signatureChecksOffOnAws(config);
  if (unsafe.length > 0) throw new ConfigError(unsafe, `config for AWS (${path})`);
  return config;
}

function main(): void {
  // Config first: a bad one should fail before the App creates its output directory.
  let config: ResolvedConfig;
  try {
    config = loadDeployConfig(process.env);
  } catch (error) {
    exitOnConfigError(error);
  }
  const app = new App();
  if (app.node.tryGetContext("echoAgent") !== undefined) {
    console.error(
      '-c echoAgent is retired: choose the agent in the config file. agent: { kind: "queue" } leaves the turns ' +
        "queue to your own consumer; without agent the built-in echo agent answers (README, Agents).",
    );
    process.exit(1);
  }
  for (const line of [...agentNotes(config), ...secretsOnAws(config), ...envFallbackNotes(config)]) console.warn(line);
  const stackName = String(app.node.tryGetContext("stackName") ?? "SmsChannel");
  try {
    const apiGatewayLogRole = contextFlag(app, "apiGatewayLogRole");
    new SmsChannelStack(app, stackName, { config, stackName, apiGatewayLogRole });
  } catch (error) {
    exitOnConfigError(error);
  }
  if (contextFlag(app, "nag") !== false) {
    // cdk-nag 3 is a policy-validation plugin: any unacknowledged finding stops the synth with a report.
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  }
  app.synth();
}

/** Context from the command line arrives as a string: accept both -c nag=false and a JSON false in cdk.json. */
function contextFlag(app: App, key: string): boolean | undefined {
  const value = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  return String(value) === "true";
}

/** Every config problem at once, by key path; a stack trace would only bury them. */
function exitOnConfigError(error: unknown): never {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

// Run only as the entry point (cdk.json: `npx tsx infra/app.ts`), so tests can import loadDeployConfig.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) main();
