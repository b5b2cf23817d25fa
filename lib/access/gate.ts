import type { DmPolicy, InboundRateLimits } from "../config/policy.ts";
import { type AccessState, ATTR, livePending, MAX_PENDING_PER_ACCOUNT, minuteOf } from "./access-state.ts";

export type DropReason =
  | "policy-disabled"
  | "not-allowed"
  | "pairing-pending"
  | "pairing-full"
  | "rate-limit-sender"
  | "rate-limit-account";

export type GateDecision = { kind: "turn" } | { kind: "pairing-request" } | { kind: "drop"; reason: DropReason };

export interface GateInput {
  policy: DmPolicy;
  allowFrom: readonly string[];
  sender: string;
  /** State read back after this message was counted. */
  state: AccessState;
  limits: Pick<InboundRateLimits, "perSenderPerMinute">;
  nowMs: number;
}

export function isSenderAllowed(allowFrom: readonly string[], state: AccessState, sender: string): boolean {
  return allowFrom.includes("*") || allowFrom.includes(sender) || state.approved.has(sender);
}

/**
 * Decides what one inbound message becomes. Pure: the caller has already counted the message and read the state
 * in one request (the store itself refuses to count past the account's limit). Order matters: a flooding sender
 * is dropped before any policy can answer them.
 */
export function decideInbound(input: GateInput): GateDecision {
  const { policy, allowFrom, sender, state, limits, nowMs } = input;
  if (policy === "disabled") return drop("policy-disabled");

  const minute = minuteOf(nowMs);
  if ((state.rateCounters.get(ATTR.senderRate(minute, sender)) ?? 0) > limits.perSenderPerMinute) {
    return drop("rate-limit-sender");
  }

  if (isSenderAllowed(allowFrom, state, sender)) return { kind: "turn" };
  if (policy !== "pairing") return drop("not-allowed");

  const open = livePending(state, nowMs);
  if (open.some((request) => request.phone === sender)) return drop("pairing-pending");
  if (open.length >= MAX_PENDING_PER_ACCOUNT) return drop("pairing-full");
  return { kind: "pairing-request" };
}

function drop(reason: DropReason): GateDecision {
  return { kind: "drop", reason };
}
