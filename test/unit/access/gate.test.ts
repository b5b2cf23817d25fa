import { describe, expect, it } from "vitest";
import {
  type AccessState,
  ATTR,
  emptyAccessState,
  minuteOf,
  PAIRING_TTL_MS,
} from "../../../lib/access/access-state.ts";
import { decideInbound, type GateInput } from "../../../lib/access/gate.ts";
import { DEFAULT_RATE_LIMITS } from "../../../lib/config/policy.ts";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const SENDER = "+15557654321";
const OTHER = "+15550001111";

function counted(state: AccessState, sender = SENDER, senderCount = 1, accountCount = 1): AccessState {
  const minute = minuteOf(NOW);
  state.rateCounters.set(ATTR.senderRate(minute, sender), senderCount);
  state.rateCounters.set(ATTR.accountRate(minute), accountCount);
  return state;
}

function decide(overrides: Partial<GateInput>): ReturnType<typeof decideInbound> {
  return decideInbound({
    policy: "pairing",
    allowFrom: [],
    sender: SENDER,
    state: counted(emptyAccessState()),
    limits: DEFAULT_RATE_LIMITS,
    nowMs: NOW,
    ...overrides,
  });
}

describe("sender gate", () => {
  it("allowlist: a listed sender gets a turn, anyone else nothing", () => {
    expect(decide({ policy: "allowlist", allowFrom: [SENDER] })).toEqual({ kind: "turn" });
    expect(decide({ policy: "allowlist", allowFrom: [OTHER] })).toEqual({ kind: "drop", reason: "not-allowed" });
  });

  it("allowlist also admits senders approved in DynamoDB", () => {
    const state = counted(emptyAccessState());
    state.approved.set(SENDER, { at: NOW, via: "admin" });
    expect(decide({ policy: "allowlist", allowFrom: [OTHER], state })).toEqual({ kind: "turn" });
  });

  it("open admits anyone when allowFrom holds *", () => {
    expect(decide({ policy: "open", allowFrom: ["*"] })).toEqual({ kind: "turn" });
  });

  it("disabled admits nobody, not even listed or approved senders", () => {
    const state = counted(emptyAccessState());
    state.approved.set(SENDER, { at: NOW, via: "pairing" });
    expect(decide({ policy: "disabled", allowFrom: [SENDER, "*"], state })).toEqual({
      kind: "drop",
      reason: "policy-disabled",
    });
  });

  it("pairing: an unknown sender gets a pairing request, an approved one a turn", () => {
    expect(decide({})).toEqual({ kind: "pairing-request" });
    const state = counted(emptyAccessState());
    state.approved.set(SENDER, { at: NOW, via: "pairing" });
    expect(decide({ state })).toEqual({ kind: "turn" });
  });

  it("pairing: a pending sender gets no second request", () => {
    const state = counted(emptyAccessState());
    state.pending.push({ phone: SENDER, code: "ABCDEFGH", createdAt: NOW - 1000 });
    expect(decide({ state })).toEqual({ kind: "drop", reason: "pairing-pending" });
  });

  it("pairing: at most three live requests; expired ones do not count", () => {
    const state = counted(emptyAccessState());
    for (const [index, phone] of ["+15550000001", "+15550000002", "+15550000003"].entries()) {
      state.pending.push({ phone, code: `CODE000${index}`, createdAt: NOW - 1000 });
    }
    expect(decide({ state })).toEqual({ kind: "drop", reason: "pairing-full" });
    const first = state.pending[0];
    if (first) first.createdAt = NOW - PAIRING_TTL_MS;
    expect(decide({ state })).toEqual({ kind: "pairing-request" });
  });

  it("an expired request of the same sender allows a new one", () => {
    const state = counted(emptyAccessState());
    state.pending.push({ phone: SENDER, code: "ABCDEFGH", createdAt: NOW - PAIRING_TTL_MS - 1 });
    expect(decide({ state })).toEqual({ kind: "pairing-request" });
  });

  it("rate limit: the sender's minute window (the store enforces the account's)", () => {
    const limits = { perSenderPerMinute: 2 };
    const base = { policy: "open" as const, allowFrom: ["*"], limits };
    expect(decide({ ...base, state: counted(emptyAccessState(), SENDER, 2, 2) })).toEqual({ kind: "turn" });
    expect(decide({ ...base, state: counted(emptyAccessState(), SENDER, 3, 3) })).toEqual({
      kind: "drop",
      reason: "rate-limit-sender",
    });
  });

  it("counters of an earlier minute do not limit this one", () => {
    const state = emptyAccessState();
    state.rateCounters.set(ATTR.senderRate(minuteOf(NOW) - 1, SENDER), 500);
    state.rateCounters.set(ATTR.accountRate(minuteOf(NOW) - 1), 5000);
    expect(decide({ policy: "open", allowFrom: ["*"], state: counted(state) })).toEqual({ kind: "turn" });
  });
});
