import type { AgentFields } from "./agent-schema.ts";
import { PROFILE_REGIONS, profilePrefix } from "./bedrock-profiles.ts";
import type { ConfigIssue } from "./config-error.ts";
import type { SecretRef } from "./secret-ref.ts";
import type { InlineSecret } from "./types.ts";
import { checkHttpsUrl } from "./webhook-url.ts";

/** Past messages sent with each request unless `history` says otherwise. */
export const DEFAULT_HISTORY = 20;
export const DEFAULT_MODEL_TIMEOUT_MS = 60_000;
/** What the sender gets when the model could not answer after every retry ("" sends nothing). */
export const DEFAULT_FAILURE_REPLY = "Sorry, I can't answer right now. Please try again in a little while.";

/** What every model-backed agent carries after defaults. */
export interface ModelAgentOptions {
  /** The account's own system prompt; the built-in SMS prompt when absent. */
  system?: string;
  history: number;
  maxTokens?: number;
  failureReply: string;
}

export type ResolvedAgent<Secret = SecretRef | InlineSecret> =
  | ({ kind: "openai"; baseUrl: string; model: string; apiKey?: Secret; timeoutMs: number } & ModelAgentOptions)
  | ({ kind: "bedrock"; modelId: string; region?: string } & ModelAgentOptions)
  | { kind: "echo" }
  | { kind: "queue" };

export type RuntimeAgent = ResolvedAgent<SecretRef>;

/** Without `agent` the built-in echo agent answers, as before agents existed. */
export const ECHO_AGENT: ResolvedAgent = { kind: "echo" };

/** Applies defaults and the checks the schema cannot make; problems are reported at `path`. */
export function resolveAgent(fields: AgentFields | undefined, path: string, issues: ConfigIssue[]): ResolvedAgent {
  if (fields === undefined) return ECHO_AGENT;
  if (fields.kind === "echo" || fields.kind === "queue") return { kind: fields.kind };
  const options: ModelAgentOptions = {
    ...(fields.system !== undefined ? { system: fields.system } : {}),
    history: fields.history ?? DEFAULT_HISTORY,
    ...(fields.maxTokens !== undefined ? { maxTokens: fields.maxTokens } : {}),
    failureReply: fields.failureReply ?? DEFAULT_FAILURE_REPLY,
  };
  if (fields.kind === "bedrock") {
    for (const [key, problem] of bedrockProblems(fields.modelId, fields.region)) {
      issues.push({ path: `${path}.${key}`, message: problem });
    }
    return {
      kind: "bedrock",
      modelId: fields.modelId,
      ...(fields.region ? { region: fields.region } : {}),
      ...options,
    };
  }
  const problem = checkHttpsUrl(fields.baseUrl, "https://api.openai.com/v1") ?? credentialsIn(fields.baseUrl);
  if (problem) issues.push({ path: `${path}.baseUrl`, message: problem });
  const apiKey =
    fields.apiKey === undefined
      ? undefined
      : typeof fields.apiKey === "string"
        ? ({ source: "inline", value: fields.apiKey } as const)
        : fields.apiKey;
  return {
    kind: "openai",
    baseUrl: fields.baseUrl.replace(/\/+$/, ""),
    model: fields.model,
    ...(apiKey ? { apiKey } : {}),
    timeoutMs: fields.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS,
    ...options,
  };
}

/**
 * The turns queue has one consumer: the built-in agent function, or your own program. An account that leaves its
 * turns to your consumer cannot share the queue with accounts the built-in agent answers.
 */
export function checkOneTurnsConsumer(
  accounts: ReadonlyArray<{ enabled: boolean; agent: ResolvedAgent; agentPath: string }>,
  issues: ConfigIssue[],
): void {
  const enabled = accounts.filter((account) => account.enabled);
  const queue = enabled.filter((account) => account.agent.kind === "queue");
  if (queue.length === 0 || queue.length === enabled.length) return;
  for (const account of queue) {
    issues.push({
      path: account.agentPath,
      message:
        'kind "queue" leaves the turns queue to your own consumer, which would then also get the other accounts\' ' +
        'turns: use "queue" for every enabled account or for none',
    });
  }
}

/**
 * A key in the URL would be logged with it and sent wherever it points (it belongs in apiKey); a query string or
 * fragment would end up before the `/chat/completions` appended to the path.
 */
function credentialsIn(baseUrl: string): string | null {
  const url = new URL(baseUrl);
  if (url.username || url.password) return "expected no user:password in the URL: put the key in apiKey";
  if (url.search || url.hash) return "expected no query string or fragment: /chat/completions is appended to the path";
  return null;
}

/** One exact model the function's role may call, and a profile called from a Region of its own geography. */
function bedrockProblems(modelId: string, region: string | undefined): Array<[string, string]> {
  if (/[*?]/.test(modelId)) {
    return [["modelId", "expected one model, without wildcards (the function may call exactly what is configured)"]];
  }
  const prefix = profilePrefix(modelId);
  const regions = prefix === undefined || prefix === "global" ? undefined : PROFILE_REGIONS[prefix];
  if (region !== undefined && regions !== undefined && !regions.includes(region)) {
    return [["region", `a ${prefix}. inference profile is called from one of its Regions: ${regions.join(", ")}`]];
  }
  return [];
}
