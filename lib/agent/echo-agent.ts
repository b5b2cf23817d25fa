import type { Reply, Turn } from "../queue/messages.ts";

/** The built-in agent: proves the loop works by quoting each turn back to its sender. */
export function echoReply(turn: Turn): Reply {
  const quoted = turn.text.trim() === "" ? `${turn.media.length} attachment(s)` : `"${turn.text}"`;
  return {
    version: 1,
    replyId: `echo:${turn.turnId}`,
    account: turn.account,
    to: turn.from,
    text: `You said: ${quoted}`,
    inReplyTo: turn.turnId,
    kind: "agent",
  };
}
