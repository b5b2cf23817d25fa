import type { ChatMessage } from "./chat-model.ts";

/**
 * One sender's conversation with an account's agent, and the record of which turns were answered: both live in one
 * DynamoDB item, so answering a turn is one read and one write. Pure: the store only loads and saves it.
 */
export interface Conversation {
  /** Oldest first; at most `history` of them, and at most MAX_HISTORY_BYTES of JSON. */
  messages: ConversationMessage[];
  /** Turns answered in the last 30 days (at most MAX_REMEMBERED_TURNS), newest last. */
  turns: AnsweredTurn[];
  /** Failed attempts of turns not yet answered. */
  attempts: Record<string, number>;
  /** Optimistic lock: the stored version this copy was read at (0: not stored yet). */
  version: number;
}

export interface ConversationMessage extends ChatMessage {
  at: number;
}

export interface AnsweredTurn {
  turnId: string;
  at: number;
  /** The reply, kept for turns answered within RESEND_WINDOW_MS so a crash before it was queued loses nothing. */
  reply?: string;
  /** The model could not answer: `reply` is the failure notice, and an operator's redrive may ask again. */
  failed?: true;
}

/** A turn is answered at most once within this window. */
export const TURN_MEMORY_MS = 30 * 24 * 3600 * 1000;
/**
 * How long an answered turn's reply may be queued again when the turn comes back: long enough for a redelivery after
 * a crash (the turns queue's visibility is 12 minutes), short of the outbound side's 14-day record of replyIds, so
 * a replay weeks later is dropped instead of being texted again.
 */
export const RESEND_WINDOW_MS = 24 * 3600 * 1000;
/** Bounds the item under a flood; a sender's 500th-previous turn is older than any realistic redelivery. */
export const MAX_REMEMBERED_TURNS = 500;
/**
 * Budgets in bytes of JSON, which is what counts against DynamoDB's 400 KB item limit (an emoji or a control
 * character costs up to 12 bytes escaped): memory, kept replies, and the longest single message remembered.
 */
export const MAX_HISTORY_BYTES = 96_000;
const MAX_KEPT_REPLY_BYTES = 160_000;
const MAX_MESSAGE_CHARS = 4_000;

export function emptyConversation(): Conversation {
  return { messages: [], turns: [], attempts: {}, version: 0 };
}

export function answeredTurn(conversation: Conversation, turnId: string): AnsweredTurn | undefined {
  return conversation.turns.find((turn) => turn.turnId === turnId);
}

/** The conversation after `turnId` was answered: the exchange appended (if memory is kept), the turn recorded. */
export function withAnswer(
  conversation: Conversation,
  input: { turnId: string; userText: string; reply: string; history: number; nowMs: number },
): Conversation {
  const exchange: ConversationMessage[] = [
    { role: "user", text: forMemory(input.userText), at: input.nowMs },
    { role: "assistant", text: forMemory(input.reply), at: input.nowMs },
  ];
  return {
    ...withTurn(conversation, { turnId: input.turnId, at: input.nowMs, reply: input.reply }),
    messages: trimHistory([...conversation.messages, ...exchange], input.history),
  };
}

/**
 * The conversation after `turnId` failed for good: recorded with its failure notice, so a redelivery (a crash before
 * the turn reached the dead-letter queue) sends the same notice instead of asking the model again. The memory is
 * unchanged.
 */
export function withFailure(
  conversation: Conversation,
  input: { turnId: string; notice: string; nowMs: number },
): Conversation {
  return withTurn(conversation, { turnId: input.turnId, at: input.nowMs, reply: input.notice, failed: true });
}

/** `turn` recorded as handled (replacing an earlier record of it), its attempts forgotten, old turns dropped. */
function withTurn(conversation: Conversation, turn: AnsweredTurn): Conversation {
  const { [turn.turnId]: _done, ...attempts } = conversation.attempts;
  const recent = conversation.turns.filter(
    (earlier) => earlier.turnId !== turn.turnId && earlier.at > turn.at - TURN_MEMORY_MS,
  );
  const turns = keepReplies([...recent, turn], turn.at);
  return { ...conversation, attempts, turns: turns.slice(-MAX_REMEMBERED_TURNS) };
}

/** One more failed attempt at `turnId`. */
export function withAttempt(conversation: Conversation, turnId: string): Conversation {
  return {
    ...conversation,
    attempts: { ...conversation.attempts, [turnId]: (conversation.attempts[turnId] ?? 0) + 1 },
  };
}

/** Memory cleared (`smsctl conversation reset`); the answered turns stay, so nothing is answered twice. */
export function withoutMessages(conversation: Conversation): Conversation {
  return { ...conversation, messages: [] };
}

/** Replies stay only for recent turns, newest first within the byte budget. */
function keepReplies(turns: AnsweredTurn[], nowMs: number): AnsweredTurn[] {
  let budget = MAX_KEPT_REPLY_BYTES;
  return turns
    .reverse()
    .map((turn) => {
      if (turn.reply === undefined) return turn;
      const bytes = jsonBytes(turn.reply);
      if (turn.at > nowMs - RESEND_WINDOW_MS && bytes <= budget) {
        budget -= bytes;
        return turn;
      }
      const { reply: _reply, ...withoutReply } = turn;
      return withoutReply;
    })
    .reverse();
}

/** The newest `history` messages that fit MAX_HISTORY_BYTES, starting with a user message (as models expect). */
export function trimHistory(messages: readonly ConversationMessage[], history: number): ConversationMessage[] {
  const kept: ConversationMessage[] = [];
  let bytes = 0;
  for (const message of [...messages].reverse()) {
    const size = jsonBytes(message.text);
    if (kept.length >= history || bytes + size > MAX_HISTORY_BYTES) break;
    kept.unshift(message);
    bytes += size;
  }
  while (kept[0]?.role === "assistant") kept.shift();
  return kept;
}

/** A very long message is remembered by its start, so one of them cannot push the rest of the memory out. */
function forMemory(text: string): string {
  return text.length <= MAX_MESSAGE_CHARS ? text : `${cutAt(text, MAX_MESSAGE_CHARS)}…`;
}

/** The first `length` UTF-16 units of `text`, without splitting a surrogate pair. */
export function cutAt(text: string, length: number): string {
  const end = /[\uD800-\uDBFF]/.test(text.charAt(length - 1)) ? length - 1 : length;
  return text.slice(0, end);
}

function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
}
