import type { ChatMessage } from "./chat-model.ts";

/**
 * One sender's conversation with an account's agent, and the record of which turns were answered: both live in one
 * DynamoDB item, so answering a turn is one read and one write. Pure: the store only loads and saves it.
 */
export interface Conversation {
  /** Oldest first; at most `history` of them, and at most MAX_HISTORY_CHARS of text. */
  messages: ConversationMessage[];
  /** Turns handled in the last 30 days (bounded), newest last. */
  turns: HandledTurn[];
  /** Failed attempts of turns not yet handled. */
  attempts: Record<string, number>;
  /** Optimistic lock: the stored version this copy was read at (0: not stored yet). */
  version: number;
}

export interface ConversationMessage extends ChatMessage {
  at: number;
}

export interface HandledTurn {
  turnId: string;
  at: number;
  outcome: "answered" | "failed";
  /** The reply sent, kept for the newest few turns so a crash between saving and sending can send it again. */
  reply?: string;
}

/** Past messages kept whatever `history` says, so one long answer cannot grow the item without bound. */
export const MAX_HISTORY_CHARS = 16_000;
/** A turn is answered at most once within this window. */
export const TURN_MEMORY_MS = 30 * 24 * 3600 * 1000;
/** Bounds the item under a flood; a sender's 500th-previous turn is older than any realistic redelivery. */
export const MAX_REMEMBERED_TURNS = 500;
/** Replies kept for a resend after a crash: redeliveries come within minutes. */
const REPLIES_KEPT = 3;

export function emptyConversation(): Conversation {
  return { messages: [], turns: [], attempts: {}, version: 0 };
}

export function handledTurn(conversation: Conversation, turnId: string): HandledTurn | undefined {
  return conversation.turns.find((turn) => turn.turnId === turnId);
}

/** The conversation after `turnId` was answered: the exchange appended (if memory is kept), the turn recorded. */
export function withAnswer(
  conversation: Conversation,
  input: { turnId: string; userText: string; reply: string; history: number; nowMs: number },
): Conversation {
  const exchange: ConversationMessage[] = [
    { role: "user", text: input.userText, at: input.nowMs },
    { role: "assistant", text: input.reply, at: input.nowMs },
  ];
  return {
    ...withHandled(
      conversation,
      { turnId: input.turnId, at: input.nowMs, outcome: "answered", reply: input.reply },
      input.nowMs,
    ),
    messages: trimHistory([...conversation.messages, ...exchange], input.history),
  };
}

/** The conversation after `turnId` failed for good: recorded so a redelivery sends no second failure reply. */
export function withFailure(
  conversation: Conversation,
  input: { turnId: string; reply: string; nowMs: number },
): Conversation {
  return withHandled(
    conversation,
    { turnId: input.turnId, at: input.nowMs, outcome: "failed", reply: input.reply },
    input.nowMs,
  );
}

export function withAttempt(conversation: Conversation, turnId: string): Conversation {
  return {
    ...conversation,
    attempts: { ...conversation.attempts, [turnId]: (conversation.attempts[turnId] ?? 0) + 1 },
  };
}

/** Memory cleared (`smsctl conversation reset`); the handled turns stay, so nothing is answered twice. */
export function withoutMessages(conversation: Conversation): Conversation {
  return { ...conversation, messages: [] };
}

function withHandled(conversation: Conversation, turn: HandledTurn, nowMs: number): Conversation {
  const recent = conversation.turns.filter(
    (earlier) => earlier.turnId !== turn.turnId && earlier.at > nowMs - TURN_MEMORY_MS,
  );
  const turns = [...recent, turn].slice(-MAX_REMEMBERED_TURNS);
  const { [turn.turnId]: _done, ...attempts } = conversation.attempts;
  return {
    ...conversation,
    attempts,
    turns: turns.map((kept, index) => {
      if (index >= turns.length - REPLIES_KEPT || kept.reply === undefined) return kept;
      const { reply: _reply, ...withoutReply } = kept;
      return withoutReply;
    }),
  };
}

/** The newest `history` messages that fit MAX_HISTORY_CHARS, starting with a user message (as models expect). */
export function trimHistory(messages: readonly ConversationMessage[], history: number): ConversationMessage[] {
  const kept: ConversationMessage[] = [];
  let chars = 0;
  for (const message of [...messages].reverse()) {
    if (kept.length >= history || chars + message.text.length > MAX_HISTORY_CHARS) break;
    kept.unshift(message);
    chars += message.text.length;
  }
  while (kept[0]?.role === "assistant") kept.shift();
  return kept;
}
