import type { Reply, Turn } from "../queue/messages.ts";

/** The built-in echo agent's answer: proves the loop works by quoting each turn back to its sender. */
export function echoText(turn: Turn): string {
  const quoted = turn.text.trim() === "" ? `${turn.media.length} attachment(s)` : `"${turn.text}"`;
  return `You said: ${quoted}`;
}

/** The echo agent's reply to a turn, as the agent function queues it. */
export function echoReply(turn: Turn): Reply {
  return {
    version: 1,
    replyId: `echo:${turn.turnId}`,
    account: turn.account,
    to: turn.from,
    text: echoText(turn),
    inReplyTo: turn.turnId,
    kind: "agent",
  };
}
