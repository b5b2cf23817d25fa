import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "./config-error.ts";
import { type Env, envValue } from "./env-fallbacks.ts";
import { configPathFrom, loadConfig, requireConfigFile } from "./load.ts";
import { resolveConfig } from "./resolve.ts";
import { toRuntimeConfig } from "./runtime.ts";
import type { SecretRef } from "./secret-ref.ts";
import type { InlineSecret, ResolvedAccount, ResolvedConfig, RuntimeConfig } from "./types.ts";

export interface LocalConfig {
  resolved: ResolvedConfig;
  /** "demo": no config file and no TWILIO_* env, so a local-only account was made up. */
  mode: "configured" | "demo";
  source: string;
}

/**
 * The user's config (SMS_CONFIG or ./sms.config.json5, plus env fallbacks), or, on a fresh clone, a demo account
 * whose made-up credentials are kept in the data folder so `smsctl simulate` can sign for it.
 */
export function loadLocalConfig(env: Env, dataDir: string, options: { createDemo?: boolean } = {}): LocalConfig {
  requireConfigFile(env);
  const path = configPathFrom(env);
  if (existsSync(path) || envValue(env, "TWILIO_ACCOUNT_SID")) {
    return { resolved: loadConfig(env, path), mode: "configured", source: existsSync(path) ? path : "environment" };
  }
  const demo = loadDemoCredentials(dataDir, options.createDemo ?? true);
  const resolved = resolveConfig({
    channels: {
      sms: {
        accountSid: demo.accountSid,
        authToken: demo.authToken,
        // Twilio's magic test "From" number: never a real subscriber.
        fromNumber: "+15005550006",
        dmPolicy: "pairing",
      },
    },
  });
  return { resolved, mode: "demo", source: `demo account (${demoAccountFile(dataDir)})` };
}

/**
 * The demo account's own folder in the data dir: its credentials, tables and queue journal. Both it and a config
 * file's first account are "default", so sharing one store would hand the demo's approvals, pairing requests,
 * conversations and queued messages to the real account.
 */
export function demoDataDir(dataDir: string): string {
  return join(dataDir, "demo");
}

export function demoAccountFile(dataDir: string): string {
  return join(demoDataDir(dataDir), "demo-account.json");
}

/** Where versions that kept the demo's data beside a config's wrote its credentials; the gateway moves them. */
export function earlierDemoAccountFile(dataDir: string): string {
  return join(dataDir, "demo-account.json");
}

/** The demo's saved credentials; a damaged file is one line naming it, not a JSON parser's stack. */
function readDemoCredentials(path: string): { accountSid: string; authToken: string } {
  try {
    const saved = JSON.parse(readFileSync(path, "utf8")) as { accountSid?: unknown; authToken?: unknown };
    if (typeof saved.accountSid === "string" && typeof saved.authToken === "string") {
      return { accountSid: saved.accountSid, authToken: saved.authToken };
    }
  } catch {
    // Reported below, with what to do.
  }
  throw new ConfigError(
    [
      {
        path,
        message: "damaged (expected accountSid and authToken): delete it and start again for a new demo account",
      },
    ],
    "demo account",
  );
}

function loadDemoCredentials(dataDir: string, create: boolean): { accountSid: string; authToken: string } {
  const path = [demoAccountFile(dataDir), earlierDemoAccountFile(dataDir)].find((file) => existsSync(file));
  if (path) return readDemoCredentials(path);
  if (!create) {
    throw new Error(
      `no ${configPathFrom({})} and no demo account at ${demoAccountFile(dataDir)}: is the local gateway running? (npm start)`,
    );
  }
  const credentials = {
    accountSid: `AC${randomBytes(16).toString("hex")}`,
    authToken: randomBytes(16).toString("hex"),
  };
  mkdirSync(demoDataDir(dataDir), { recursive: true });
  writeFileSync(demoAccountFile(dataDir), `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}

/**
 * Inline tokens become process env entries that the runtime config references, so the handlers resolve secrets
 * the same way everywhere and no token is ever serialised into the runtime config.
 */
export function toLocalRuntimeConfig(resolved: ResolvedConfig): {
  runtime: RuntimeConfig;
  secretEnv: Record<string, string>;
} {
  const secretEnv: Record<string, string> = {};
  const viaEnv = (prefix: string, account: ResolvedAccount, secret: SecretRef | InlineSecret): SecretRef => {
    if (secret.source !== "inline") return secret;
    const name = `${prefix}_${account.id.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
    secretEnv[name] = secret.value;
    return { source: "env", id: name };
  };
  const runtime = toRuntimeConfig(resolved, {
    authToken: (account) => viaEnv("SMS_LOCAL_AUTH_TOKEN", account, account.authToken),
    agentApiKey: (account, key) => viaEnv("SMS_LOCAL_AGENT_API_KEY", account, key),
  });
  return { runtime, secretEnv };
}
