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
