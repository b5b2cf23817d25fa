import { classifyKeyword } from "../access/keywords.ts";
import type { RuntimeAccount } from "../config/types.ts";
import type { OptOutStore } from "../store/opt-out-store.ts";
import type { InboundSms } from "./inbound-message.ts";

export type KeywordOutcome = "opted-out" | "opted-in" | "help";

/**
 * STOP/START/HELP are the carrier's business: they change the number's opt-out state and never reach the agent.
 * Returns what was done, or undefined when the message is not such a keyword and goes on to the sender gate.
 */
export async function applyKeyword(
  sms: InboundSms,
  account: RuntimeAccount,
  deps: { optOuts: OptOutStore; now: () => number },
): Promise<KeywordOutcome | undefined> {
  const keyword = classifyKeyword(sms.body);
  const number = sms.sender.number;
  if (keyword === "opt-out") {
    await deps.optOuts.optOut(account.id, number, deps.now());
    return "opted-out";
  }
  // Twilio answers HELP itself.
  if (keyword === "help") return "help";
  // START/YES/UNSTOP are the carrier's business only when they end an opt-out; otherwise "Yes" is an answer.
  if (keyword === "opt-in" && (await deps.optOuts.optIn(account.id, number))) return "opted-in";
  return undefined;
}
