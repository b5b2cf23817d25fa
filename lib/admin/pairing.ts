import { type AccessState, livePending, PAIRING_TTL_MS, type PendingRequest } from "../access/access-state.ts";
import { pairingApprovedText } from "../access/pairing-code.ts";
import { maskPhone } from "../access/phone.ts";
import { requestReplyId } from "../access/request-reply-id.ts";
import { accountFor } from "./accounts.ts";
import { AdminError } from "./admin-error.ts";
import type { AdminDeps } from "./deps.ts";
import type { AccountInput, CodeInput } from "./request-input.ts";

export interface PairingRequestView {
  code: string;
  phone: string;
  createdAt: string;
  expiresAt: string;
}

export interface PairingList {
  account: string;
  requests: PairingRequestView[];
}

export interface PairingDecision {
  account: string;
  code: string;
  phone: string;
  /** approve: when the sender became approved; deny: when the request was removed. */
  at: string;
  /** approve only: false when the sender is approved but the confirmation SMS could not be queued. */
  confirmationQueued?: boolean;
}

/** Writes are conditional on the pending set's version; a concurrent change is re-read and retried this often. */
const ATTEMPTS = 5;

export async function listPairingRequests(deps: AdminDeps, input: AccountInput): Promise<PairingList> {
  const account = accountFor(deps.config, input.account);
  const nowMs = deps.now();
  const state = await deps.access.read(account.id, nowMs);
  return { account: account.id, requests: livePending(state, nowMs).map(toView) };
}

/**
 * Approves the sender behind a pairing code and queues one confirmation SMS. The replyId is derived from the
 * request, so a retried approve never texts the sender twice.
 */
export async function approvePairing(deps: AdminDeps, input: CodeInput): Promise<PairingDecision> {
  const account = accountFor(deps.config, input.account);
  const { request, nowMs } = await withPendingRequest(
    deps,
    account.id,
    input.code,
    { allowExpired: false },
    (state, found, now) => deps.access.approve(account.id, found.phone, "pairing", state, now),
  );
  const logFields = { account: account.id, phone: maskPhone(request.phone) };
  let confirmationQueued = true;
  try {
    await deps.queues.sendReply({
      version: 1,
      // The replies contract allows no "+" in ids, so the number goes in as digits.
      replyId: requestReplyId("pairing-approved", account.id, request),
      account: account.id,
      to: request.phone,
      text: pairingApprovedText(),
      kind: "system",
    });
  } catch (error) {
    // The approval is already written and the code consumed: report it as done, minus the courtesy SMS.
    confirmationQueued = false;
    deps.log.error(
      "pairing approved but the confirmation SMS was not queued",
      error instanceof Error ? error : logFields,
    );
  }
  deps.log.info("pairing approved", { ...logFields, confirmationQueued });
  return {
    account: account.id,
    code: request.code,
    phone: request.phone,
    at: new Date(nowMs).toISOString(),
    confirmationQueued,
  };
}

/** Removes a pairing request without telling the sender; they may text again after it would have expired. */
export async function denyPairing(deps: AdminDeps, input: CodeInput): Promise<PairingDecision> {
  const account = accountFor(deps.config, input.account);
  const { request, nowMs } = await withPendingRequest(
    deps,
    account.id,
    input.code,
    { allowExpired: true },
    (state, found) => deps.access.removePending(account.id, found.phone, state),
  );
  deps.log.info("pairing denied", { account: account.id, phone: maskPhone(request.phone) });
  return { account: account.id, code: request.code, phone: request.phone, at: new Date(nowMs).toISOString() };
}

type Change = (state: AccessState, request: PendingRequest, nowMs: number) => Promise<boolean>;

/** Finds the request by code and applies `change`, re-reading after a concurrent write. */
async function withPendingRequest(
  deps: AdminDeps,
  accountId: string,
  code: string,
  options: { allowExpired: boolean },
  change: Change,
): Promise<{ request: PendingRequest; nowMs: number }> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const nowMs = deps.now();
    const state = await deps.access.read(accountId, nowMs);
    const request = state.pending.find((candidate) => candidate.code === code);
    if (!request) {
      throw new AdminError(
        404,
        "pairing_code_not_found",
        `code: no pairing request with code ${code} for account "${accountId}" (see: smsctl pairing list)`,
        "code",
      );
    }
    const expiresAt = request.createdAt + PAIRING_TTL_MS;
    if (!options.allowExpired && nowMs >= expiresAt) {
      throw new AdminError(
        410,
        "pairing_code_expired",
        `code: pairing code ${code} expired at ${new Date(expiresAt).toISOString()}; ` +
          "ask the sender to text the number again for a new code",
        "code",
      );
    }
    if (await change(state, request, nowMs)) return { request, nowMs };
  }
  throw new AdminError(409, "concurrent_change", "the pairing requests kept changing while this ran; try again");
}

function toView(request: PendingRequest): PairingRequestView {
  return {
    code: request.code,
    phone: request.phone,
    createdAt: new Date(request.createdAt).toISOString(),
    expiresAt: new Date(request.createdAt + PAIRING_TTL_MS).toISOString(),
  };
}
