import { maskPhone } from "../access/phone.ts";
import { withoutMessages } from "../agent/conversation.ts";
import { accountFor } from "./accounts.ts";
import { AdminError } from "./admin-error.ts";
import type { AdminDeps } from "./deps.ts";
import type { PhoneInput } from "./request-input.ts";

export interface ConversationView {
  account: string;
  phone: string;
  agent: string;
  /** Past messages sent with each request (the account's `history`). */
  history: number;
  messages: Array<{ role: "user" | "assistant"; text: string; at: string }>;
  /** Turns answered (or failed) in the last 30 days; they are never answered again, even after a reset (a failed
   * one is asked afresh only when an operator redrives it from the dead-letter queue). */
  turnsHandled: number;
}

export interface ConversationReset {
  account: string;
  phone: string;
  cleared: number;
}

const ATTEMPTS = 5;

/** What the agent remembers of a sender: what `smsctl conversation show` prints. */
export async function showConversation(deps: AdminDeps, input: PhoneInput): Promise<ConversationView> {
  const account = accountFor(deps.config, input.account);
  const conversation = await deps.conversations.read(account.id, input.phone, deps.now());
  const agent = account.agent;
  return {
    account: account.id,
    phone: input.phone,
    agent: agent.kind,
    history: agent.kind === "openai" || agent.kind === "bedrock" ? agent.history : 0,
    messages: conversation.messages.map(({ role, text, at }) => ({ role, text, at: new Date(at).toISOString() })),
    turnsHandled: conversation.turns.length,
  };
}

/** Forgets the messages, keeping the record of handled turns so none is answered twice. */
export async function resetConversation(deps: AdminDeps, input: PhoneInput): Promise<ConversationReset> {
  const account = accountFor(deps.config, input.account);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const nowMs = deps.now();
    const conversation = await deps.conversations.read(account.id, input.phone, nowMs);
    const cleared = conversation.messages.length;
    if (cleared === 0) return { account: account.id, phone: input.phone, cleared };
    if (await deps.conversations.save(account.id, input.phone, withoutMessages(conversation), nowMs)) {
      deps.log.info("conversation reset by operator", { account: account.id, phone: maskPhone(input.phone) });
      return { account: account.id, phone: input.phone, cleared };
    }
  }
  throw new AdminError(409, "conflict", `phone: the conversation kept changing; try again`, "phone");
}
