import { DEFAULT_MODEL_TIMEOUT_MS } from "./agent-config.ts";
import type { ResolvedConfig } from "./types.ts";

/** AWS's advice for SQS event sources: visibility at least six times the consumer's timeout. */
export const VISIBILITY_PER_TIMEOUT = 6;
/**
 * The agent dead-letters a failing turn itself, with its reason, after 4 attempts; the queue's own redrive (no
 * reason) is only the backstop for crashes, so it leaves room for a few of them beside those attempts.
 */
export const TURNS_MAX_RECEIVE_COUNT = 10;
/** Room for the turn's media downloads, two DynamoDB requests and the reply beside the model call itself. */
const AGENT_OVERHEAD_SECONDS = 30;
const AGENT_MIN_TIMEOUT_SECONDS = 120;

/** What a consumer of your own gets to process one turn (agent kind "queue" everywhere): no agent function runs. */
export const OWN_CONSUMER_TIMEOUT_SECONDS = 30;

/** Whether the built-in agent consumes the turns queue: unless every enabled account leaves it to your consumer. */
export function builtInAgentRuns(config: Pick<ResolvedConfig, "accounts">): boolean {
  return config.accounts.some((account) => account.enabled && account.agent.kind !== "queue");
}

/** The turns queue's visibility timeout, the same on AWS and locally: six times its consumer's timeout. */
export function turnsVisibilitySeconds(config: ResolvedConfig): number {
  const consumerSeconds = builtInAgentRuns(config) ? agentTimeoutSeconds(config) : OWN_CONSUMER_TIMEOUT_SECONDS;
  return consumerSeconds * VISIBILITY_PER_TIMEOUT;
}

/**
 * How long the agent may take over one turn (batch size 1): one model call plus overhead, about two minutes, more
 * when an account's `timeoutMs` asks for longer. The deployed function's timeout, and locally the basis of the
 * turns queue's visibility, so a slow model is never asked twice because its turn reappeared.
 */
export function agentTimeoutSeconds(config: ResolvedConfig): number {
  const longestModelMs = Math.max(
    0,
    ...config.accounts.map((account) =>
      account.agent.kind === "openai" ? account.agent.timeoutMs : DEFAULT_MODEL_TIMEOUT_MS,
    ),
  );
  return Math.max(AGENT_MIN_TIMEOUT_SECONDS, Math.ceil(longestModelMs / 1000) + AGENT_OVERHEAD_SECONDS);
}
