import { numberOf } from "../access/address.ts";
import { maskPhone } from "../access/phone.ts";
import type { RuntimeAccount, RuntimeConfig } from "../config/types.ts";
import type { Log } from "../log/log.ts";
import { METRIC, type Metrics } from "../metrics/metrics.ts";
import type { Reply, Turn } from "../queue/messages.ts";
import type { ConversationStore } from "../store/conversation-store.ts";
import { stripReasoning } from "../text/strip-reasoning.ts";
import { type ChatModel, ModelError, type ModelImage } from "./chat-model.ts";
import {
  type AnsweredTurn,
  answeredTurn,
  type Conversation,
  cutAt,
  RESEND_WINDOW_MS,
  withAnswer,
  withAttempt,
  withFailure,
} from "./conversation.ts";
import { echoText } from "./echo-agent.ts";
import { DEFAULT_SYSTEM_PROMPT } from "./system-prompt.ts";

export interface AgentDeps {
  config: RuntimeConfig;
  conversations: ConversationStore;
  /** The account's model connector (OpenAI-compatible or Bedrock); never asked for echo accounts. */
  modelFor(account: RuntimeAccount): ChatModel;
  /** The turn's media as the model sees it: images, and a line for each attachment it cannot see. */
  prepareMedia(turn: Turn, account: RuntimeAccount): Promise<{ images: ModelImage[]; lines: string[] }>;
  publishReply(reply: Reply): Promise<void>;
  now(): number;
  log: Log;
  metrics: Metrics;
  /** Failed model calls per turn before the sender gets the failure reply and the turn goes to the DLQ. */
  maxAttempts: number;
}

export type TurnOutcome =
  | { kind: "answered"; replyId?: string }
  | { kind: "already-answered" }
  /** The model kept failing, or refused the request: the failure reply (if any) is queued, the turn is done. */
  | { kind: "failed"; reason: string }
  | { kind: "retry-later"; reason: string; attempts: number };

/** A turn no agent here can answer (unknown account, or one that leaves its turns to your consumer): to the DLQ. */
export class UnanswerableTurn extends Error {
  override name = "UnanswerableTurn";
}

/** The longest reply the contract takes (schemas/reply.v1.schema.json); a longer answer is cut there. */
const MAX_REPLY_CHARS = 20_000;
/** Concurrent saves of one conversation are rare (one FIFO group per sender); a few rounds settle them. */
const SAVE_ROUNDS = 3;

/**
 * Answers one turn at most once: the sender's conversation item says whether it was answered, and the answer is
 * saved there (with the conversation memory) before the reply is queued, so a redelivery after a crash re-queues
 * the same reply (same replyId, so it is sent once) instead of asking the model again. Two deliveries at the same
 * moment may both ask the model; the optimistic lock lets one answer through. `receiveCount` is the queue's
 * count for this delivery: a failed turn back on its first receive was redriven on purpose and is asked afresh.
 */
export async function answerTurn(turn: Turn, deps: AgentDeps, receiveCount = 1): Promise<TurnOutcome> {
  const account = deps.config.accounts.find((candidate) => candidate.id === turn.account);
  if (!account) throw new UnanswerableTurn(`turn.account: no account "${turn.account}" is configured`);
  if (account.agent.kind === "queue") {
    throw new UnanswerableTurn(`account "${account.id}" leaves its turns to your own consumer (agent kind "queue")`);
  }
  const number = numberOf(turn.from);
  const logFields = { account: account.id, from: maskPhone(turn.from), turnId: turn.turnId };
  for (let round = 1; ; round++) {
    const conversation = await deps.conversations.read(account.id, number, deps.now());
    const earlier = answeredTurn(conversation, turn.turnId);
    if (earlier && !(earlier.failed && receiveCount === 1))
      return handledBefore(turn, account, earlier, deps, logFields);
    const decided = await decide(turn, account, conversation, deps);
    if (decided.kind === "retry-later") {
      await deps.conversations.save(account.id, number, decided.next, deps.now());
      return { kind: "retry-later", reason: decided.reason, attempts: decided.attempts };
    }
    if (await deps.conversations.save(account.id, number, decided.next, deps.now())) {
      const reply = replyFor(turn, account, decided.outcome, decided.reply);
      // The failure notice has its own replyId, so a redelivery before the turn reaches the DLQ sends it once.
      if (reply.text.trim() !== "") await deps.publishReply(reply);
      return finish(decided, reply, deps, logFields);
    }
    if (round >= SAVE_ROUNDS) throw new Error(`conversation ${account.id}: kept changing under ${turn.turnId}`);
  }
}

/** A turn handled on an earlier delivery: its reply (or failure notice) queued again if recent, nothing asked. */
async function handledBefore(
  turn: Turn,
  account: RuntimeAccount,
  earlier: AnsweredTurn,
  deps: AgentDeps,
  logFields: Record<string, unknown>,
): Promise<TurnOutcome> {
  const outcome = earlier.failed ? "failed" : "answered";
  // Queued again only soon after (a crash between saving and queueing): a replay weeks later sends nothing.
  if (earlier.reply?.trim() && earlier.at > deps.now() - RESEND_WINDOW_MS) {
    await deps.publishReply(replyFor(turn, account, outcome, earlier.reply));
  }
  if (earlier.failed) {
    return { kind: "failed", reason: "the model could not answer it on an earlier delivery (see that delivery's log)" };
  }
  deps.log.info("turn already answered; not answering again", logFields);
  return { kind: "already-answered" };
}

type Decision =
  | { kind: "answer"; outcome: "answered"; reply: string; next: Conversation; reasoningOnly?: boolean }
  | { kind: "fail"; outcome: "failed"; reply: string; reason: string; next: Conversation }
  | { kind: "retry-later"; reason: string; attempts: number; next: Conversation };

/** Asks the model (or the echo agent) and decides what the conversation becomes; saves nothing itself. */
async function decide(
  turn: Turn,
  account: RuntimeAccount,
  conversation: Conversation,
  deps: AgentDeps,
): Promise<Decision> {
  const agent = account.agent;
  const nowMs = deps.now();
  if (agent.kind === "echo" || agent.kind === "queue") {
    const reply = echoText(turn);
    return {
      kind: "answer",
      outcome: "answered",
      reply,
      next: withAnswer(conversation, { turnId: turn.turnId, userText: turn.text, reply, history: 0, nowMs }),
    };
  }
  const media = await deps.prepareMedia(turn, account);
  const userText = [turn.text, ...media.lines].filter((line) => line !== "").join("\n");
  const started = performance.now();
  try {
    const answer = await deps.modelFor(account).answer({
      system: agent.system ?? DEFAULT_SYSTEM_PROMPT,
      history: conversation.messages.map(({ role, text }) => ({ role, text })),
      message: { text: userText, images: media.images },
      user: `sms:${account.id}:${numberOf(turn.from)}`,
      ...(agent.maxTokens ? { maxTokens: agent.maxTokens } : {}),
    });
    deps.metrics.record({
      name: METRIC.modelLatency,
      account: account.id,
      unit: "Milliseconds",
      value: Math.round(performance.now() - started),
    });
    // The model's reasoning is neither sent (the outbound side drops it too) nor remembered as what it said.
    const stripped = stripReasoning(answer.text);
    const said = stripped.text.trim();
    const reply = said.length > MAX_REPLY_CHARS ? cutAt(said, MAX_REPLY_CHARS) : said;
    const next = withAnswer(conversation, { turnId: turn.turnId, userText, reply, history: agent.history, nowMs });
    return { kind: "answer", outcome: "answered", reply, next, reasoningOnly: stripped.removed && said === "" };
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    deps.metrics.record({
      name: METRIC.modelFailures,
      account: account.id,
      breakdown: { reason: error.code ?? error.kind },
    });
    const attempted = withAttempt(conversation, turn.turnId);
    const attempts = attempted.attempts[turn.turnId] ?? 1;
    if (error.kind === "retryable" && attempts < deps.maxAttempts) {
      return { kind: "retry-later", reason: error.message, attempts, next: attempted };
    }
    const reason =
      error.kind === "terminal"
        ? `the model refused the request: ${error.message}`
        : `gave up after ${attempts} attempts: ${error.message}`;
    return {
      kind: "fail",
      outcome: "failed",
      reply: agent.failureReply,
      reason,
      next: withFailure(conversation, { turnId: turn.turnId, notice: agent.failureReply, nowMs }),
    };
  }
}

function finish(
  decided: Exclude<Decision, { kind: "retry-later" }>,
  reply: Reply,
  deps: AgentDeps,
  logFields: Record<string, unknown>,
): TurnOutcome {
  deps.metrics.record({ name: METRIC.turns, account: reply.account, breakdown: { outcome: decided.outcome } });
  if (decided.kind === "fail") {
    deps.log.warn("turn failed; the sender gets the failure reply", { ...logFields, reason: decided.reason });
    return { kind: "failed", reason: decided.reason };
  }
  if (reply.text.trim() === "") {
    const what = decided.reasoningOnly ? "nothing but reasoning (<think> and the like)" : "nothing";
    deps.log.warn(`the model answered with ${what}; nothing sent`, logFields);
    return { kind: "answered" };
  }
  deps.log.info("turn answered", { ...logFields, replyId: reply.replyId });
  return { kind: "answered", replyId: reply.replyId };
}

/** The reply to a turn: `agent:<turnId>` (`echo:` for the echo agent); `agent-failed:<turnId>` for the notice. */
function replyFor(turn: Turn, account: RuntimeAccount, outcome: "answered" | "failed", text: string): Reply {
  const prefix = account.agent.kind === "echo" ? "echo" : "agent";
  return {
    version: 1,
    replyId: `${prefix}${outcome === "failed" ? "-failed" : ""}:${turn.turnId}`,
    account: account.id,
    to: turn.from,
    text,
    inReplyTo: turn.turnId,
    kind: "agent",
  };
}
