import { readFileSync } from "node:fs";
import type { RuntimeAgent } from "./agent-config.ts";
import type { SecretRef } from "./secret-ref.ts";
import type { InlineSecret, ResolvedAccount, ResolvedConfig, RuntimeConfig } from "./types.ts";

/**
 * Functions get the config already validated (at synth or at local start) as JSON: inline in
 * `SMS_RUNTIME_CONFIG`, or in a file named by `SMS_RUNTIME_CONFIG_FILE` (bundled beside the handler on AWS, where
 * Lambda's 4 KB environment would be too small). Secrets travel only as references.
 */
export function toRuntimeConfig(resolved: ResolvedConfig, secrets: RuntimeSecrets): RuntimeConfig {
  return {
    version: 1,
    defaultAccount: resolved.defaultAccount,
    accounts: resolved.accounts.map((account) => ({
      ...account,
      authToken: secrets.authToken(account),
      agent: runtimeAgent(account, secrets),
    })),
  };
}

/** Where a function reads each account's secrets from: env entries locally, Secrets Manager on AWS. */
export interface RuntimeSecrets {
  authToken(account: ResolvedAccount): SecretRef;
  agentApiKey(account: ResolvedAccount, key: SecretRef | InlineSecret): SecretRef;
}

function runtimeAgent(account: ResolvedAccount, secrets: RuntimeSecrets): RuntimeAgent {
  const agent = account.agent;
  if (agent.kind !== "openai" || agent.apiKey === undefined) return agent as RuntimeAgent;
  return { ...agent, apiKey: secrets.agentApiKey(account, agent.apiKey) };
}

export function readRuntimeConfig(env: Readonly<Record<string, string | undefined>>): RuntimeConfig {
  const inline = env.SMS_RUNTIME_CONFIG;
  const file = env.SMS_RUNTIME_CONFIG_FILE;
  if (!inline && !file) throw new Error("SMS_RUNTIME_CONFIG or SMS_RUNTIME_CONFIG_FILE must be set");
  const text = inline || readFileSync(file ?? "", "utf8");
  const value = JSON.parse(text) as Partial<RuntimeConfig>;
  if (value.version !== 1 || !Array.isArray(value.accounts) || typeof value.defaultAccount !== "string") {
    throw new Error("runtime config: expected { version: 1, defaultAccount, accounts: [...] }");
  }
  for (const [index, account] of value.accounts.entries()) {
    if (typeof account?.id !== "string" || typeof account.accountSid !== "string" || !account.authToken?.id) {
      throw new Error(`runtime config: accounts[${index}] needs id, accountSid and an authToken reference`);
    }
  }
  return value as RuntimeConfig;
}
