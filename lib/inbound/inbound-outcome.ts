import { MAX_PENDING_PER_ACCOUNT } from "../access/access-state.ts";
import type { KeywordOutcome } from "./apply-keyword.ts";
import type { RouteOutcome } from "./route-message.ts";

/** What became of one webhook: its metric breakdown, its receipt, its log record and its X-Sms-Outcome header. */
export type InboundOutcome =
  | RouteOutcome
  | KeywordOutcome
  | "duplicate"
  | `refused:${"signature" | "account-sid" | "input"}`;

/**
 * Every webhook answer names its outcome in this header (a delivery status as `status:<outcome>`). Twilio ignores
 * it; `smsctl simulate` reports it. Only a caller whose signature checked out learns more than a refusal.
 */
export const OUTCOME_HEADER = "x-sms-outcome";

const PHRASES: Record<InboundOutcome, string> = {
  turn: "queued as a turn for the agent",
  "pairing-requested": "unknown sender: a pairing request was created and its code texted back",
  "pairing-abandoned": "pairing request abandoned after concurrent changes; nothing sent",
  "dropped:policy-disabled": "dropped: dmPolicy is disabled",
  "dropped:not-allowed": "dropped: the sender is not in allowFrom and not approved",
  "dropped:pairing-pending": "dropped: the sender's pairing request is still pending",
  "dropped:pairing-full": `dropped: ${MAX_PENDING_PER_ACCOUNT} pairing requests are already pending`,
  "dropped:rate-limit-sender": "dropped: the sender is over inboundRateLimit.perSenderPerMinute",
  "dropped:rate-limit-account": "dropped: the account is over inboundRateLimit.perAccountPerMinute",
  "opted-out": "STOP: the sender opted out; replies to it are refused from now on",
  "opted-in": "START: the sender opted back in",
  help: "HELP: not forwarded to the agent (Twilio answers it)",
  duplicate: "already handled (a Twilio retry or a replay); changed nothing",
  "refused:signature": "refused (403): the X-Twilio-Signature does not match",
  "refused:account-sid": "refused (403): the AccountSid is not this account's",
  "refused:input": "refused (400): not shaped as Twilio sends",
};

/** One phrase for people (the local gateway's line, `smsctl simulate`); an unknown outcome is shown as it is. */
export function describeInboundOutcome(outcome: string): string {
  return Object.hasOwn(PHRASES, outcome) ? PHRASES[outcome as InboundOutcome] : outcome;
}
