/**
 * Everything the gate knows about one account's senders, read from a single DynamoDB item so that the hot path
 * (an approved sender) costs one request. Layout of the item (pk `ACCOUNT#<id>`, sk `ACCESS`), flat attribute names
 * so any one entry can be set or removed without first creating a parent map:
 *
 *   approved:+E164        { at, via }                  approved by pairing or by the operator
 *   pending:+E164         { code, createdAt }          open pairing request (expiry is checked when read)
 *   rate:<minute>         count                        account messages in that minute
 *   rate:<minute>:+E164   count                        one sender's messages in that minute
 *   pv                    number                       version of the pending set (optimistic locking)
 *
 * Its size stays bounded: approvals are operator decisions, at most 3 requests are pending, and a message is only
 * counted while the account is under its per-minute limit, so one minute adds at most that many sender counters
 * (removed by the next minute's writes). Opt-outs, which any number can create, live in items of their own
 * (store/opt-out-store.ts).
 */
export interface ApprovedEntry {
  at: number;
  via: "pairing" | "admin";
}

export interface PendingRequest {
  phone: string;
  code: string;
  createdAt: number;
}

export interface AccessState {
  approved: Map<string, ApprovedEntry>;
  pending: PendingRequest[];
  pendingVersion: number | undefined;
  /** Counters keyed by attribute name, e.g. `rate:29384756` or `rate:29384756:+15551234567`. */
  rateCounters: Map<string, number>;
}

export const ATTR = {
  approved: (phone: string) => `approved:${phone}`,
  pending: (phone: string) => `pending:${phone}`,
  accountRate: (minute: number) => `rate:${minute}`,
  senderRate: (minute: number, phone: string) => `rate:${minute}:${phone}`,
  pendingVersion: "pv",
} as const;

export const PAIRING_TTL_MS = 60 * 60 * 1000;
export const MAX_PENDING_PER_ACCOUNT = 3;

export function minuteOf(nowMs: number): number {
  return Math.floor(nowMs / 60_000);
}

export function emptyAccessState(): AccessState {
  return { approved: new Map(), pending: [], pendingVersion: undefined, rateCounters: new Map() };
}

/** Pending requests still open at `nowMs`; an expired one is ignored even if no cleanup removed it yet. */
export function livePending(state: AccessState, nowMs: number): PendingRequest[] {
  return state.pending.filter((request) => nowMs - request.createdAt < PAIRING_TTL_MS);
}

export function expiredPending(state: AccessState, nowMs: number): PendingRequest[] {
  return state.pending.filter((request) => nowMs - request.createdAt >= PAIRING_TTL_MS);
}

/** Rate counters of earlier minutes: removed by the next write so the item does not grow. */
export function staleRateAttributes(state: AccessState, nowMs: number): string[] {
  const current = minuteOf(nowMs);
  return [...state.rateCounters.keys()].filter((name) => Number(name.split(":")[1]) < current);
}
