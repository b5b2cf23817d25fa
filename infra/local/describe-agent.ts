import type { RuntimeAccount } from "../../lib/config/types.ts";

/** One line per account for the banner: who answers its turns, and where (never a key). */
export function describeAgent(account: RuntimeAccount, turnsQueueUrl: string): string {
  const agent = account.agent;
  switch (agent.kind) {
    case "openai":
      return `OpenAI-compatible model ${agent.model} at ${agent.baseUrl}, history ${agent.history}`;
    case "bedrock":
      return `Bedrock model ${agent.modelId}${agent.region ? ` in ${agent.region}` : ""}, history ${agent.history}`;
    case "queue":
      return `your own consumer of the turns queue (${turnsQueueUrl})`;
    case "echo":
      return account.agentConfigured
        ? "the built-in echo agent"
        : "the built-in echo agent (no agent in the config; see README, Agents)";
  }
}
