import { accountKeyPath } from "./policy.ts";
import type { ResolvedConfig } from "./types.ts";
import { isLoopbackHost } from "./webhook-url.ts";

/**
 * What `cdk synth` warns about in the agent config: an account that names no agent (the echo agent answers it,
 * rarely what a deploy wants) and an OpenAI-compatible baseUrl on this machine, which Lambda cannot reach.
 */
export function agentNotes(config: ResolvedConfig): string[] {
  return config.accounts
    .filter((account) => account.enabled)
    .flatMap((account) => {
      if (!account.agentConfigured) {
        return [
          `Note: SMS account "${account.id}" has no agent in the config; the built-in echo agent answers it (README, Agents).`,
        ];
      }
      const agent = account.agent;
      if (agent.kind !== "openai" || !isLoopbackHost(new URL(agent.baseUrl).hostname)) return [];
      const path = accountKeyPath(account.id);
      return [
        `Note: ${path}.agent.baseUrl (${agent.baseUrl}) is on this machine: a Lambda function cannot reach it, so ` +
          "every turn would fail. Use an address reachable from AWS for the deployed stack (README, Agents).",
      ];
    });
}
