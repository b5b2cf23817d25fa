import { type Env, envValue } from "./env-fallbacks.ts";
import { accountKeyPath } from "./policy.ts";
import type { SecretRef } from "./secret-ref.ts";
import type { InlineSecret, ResolvedConfig } from "./types.ts";

/** One secret an account reads, where it was configured and what it is. */
export interface ConfiguredSecret {
  path: string;
  what: string;
  ref: SecretRef | InlineSecret;
}

/** The auth token and, for an OpenAI-compatible agent, the API key of every enabled account. */
export function configuredSecrets(config: ResolvedConfig): ConfiguredSecret[] {
  return config.accounts
    .filter((account) => account.enabled)
    .flatMap((account) => {
      const base = accountKeyPath(account.id);
      const key = account.agent.kind === "openai" ? account.agent.apiKey : undefined;
      return [
        { path: `${base}.authToken`, what: `the Twilio auth token of account "${account.id}"`, ref: account.authToken },
        ...(key
          ? [{ path: `${base}.agent.apiKey`, what: `the agent API key of account "${account.id}"`, ref: key }]
          : []),
      ];
    });
}

/**
 * Env references whose variable is not set (or only whitespace): the local gateway refuses to start rather than fail
 * every request.
 */
export function unsetEnvSecrets(config: ResolvedConfig, env: Env): string[] {
  return configuredSecrets(config)
    .filter(({ ref }) => ref.source === "env" && envValue(env, ref.id) === undefined)
    .map(
      ({ path, ref }) =>
        `${path}: environment variable ${(ref as SecretRef).id} is not set (export it, or write the value in the config)`,
    );
}

/** What each non-AWS secret becomes on AWS, where a function has no environment variable of the operator's. */
export function secretsOnAws(config: ResolvedConfig): string[] {
  return configuredSecrets(config)
    .filter(({ ref }) => ref.source !== "aws")
    .map(
      ({ path, what, ref }) =>
        `Note: ${path} (${ref.source === "env" ? `env ${ref.id}, which is not read on AWS` : "written in the config"}): on AWS ${what} is read ` +
        "from a Secrets Manager secret this stack creates with a placeholder; after deploying, put the value " +
        "there (the stack's outputs print the command).",
    );
}
