import type { ApprovedEntry } from "../access/access-state.ts";
import { maskPhone } from "../access/phone.ts";
import type { DmPolicy } from "../config/policy.ts";
import { accountFor } from "./accounts.ts";
import { AdminError } from "./admin-error.ts";
import type { AdminDeps } from "./deps.ts";
import type { AccountInput, PhoneInput } from "./request-input.ts";

export interface ApprovedView {
  phone: string;
  at: string;
  via: ApprovedEntry["via"];
}

export interface AllowList {
  account: string;
  policy: DmPolicy;
  /** From the config file: changed only by editing allowFrom and redeploying. */
  allowFrom: string[];
  /** Approved at runtime (pairing or `allow add`). */
  approved: ApprovedView[];
}

export interface AllowAdded {
  account: string;
  phone: string;
  approved: ApprovedView;
  alreadyApproved: boolean;
  allowedByConfig: boolean;
  warning?: string;
}

export interface AllowRemoved {
  account: string;
  phone: string;
  removed: true;
  /** Still allowed through the config's allowFrom ("*" or the number itself). */
  stillAllowedByConfig: boolean;
}

const ATTEMPTS = 5;

export async function listAllowed(deps: AdminDeps, input: AccountInput): Promise<AllowList> {
  const account = accountFor(deps.config, input.account);
  const state = await deps.access.read(account.id, deps.now());
  const approved = [...state.approved.entries()]
    .map(([phone, entry]) => toView(phone, entry))
    .sort((a, b) => a.at.localeCompare(b.at));
  return { account: account.id, policy: account.dmPolicy, allowFrom: [...account.allowFrom], approved };
}

/** Approves a number as the operator; approving an approved number changes nothing. */
export async function addAllowed(deps: AdminDeps, input: PhoneInput): Promise<AllowAdded> {
  const account = accountFor(deps.config, input.account);
  const base = {
    account: account.id,
    phone: input.phone,
    allowedByConfig: account.allowFrom.includes(input.phone) || account.allowFrom.includes("*"),
    ...policyWarning(account.dmPolicy),
  };
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const nowMs = deps.now();
    const state = await deps.access.read(account.id, nowMs);
    const existing = state.approved.get(input.phone);
    if (existing) return { ...base, approved: toView(input.phone, existing), alreadyApproved: true };
    // approve() is conditional on the pending set's version and also clears a pending request of this number.
    if (await deps.access.approve(account.id, input.phone, "admin", state, nowMs)) {
      deps.log.info("sender approved by operator", { account: account.id, phone: maskPhone(input.phone) });
      return { ...base, approved: toView(input.phone, { at: nowMs, via: "admin" }), alreadyApproved: false };
    }
  }
  throw new AdminError(409, "concurrent_change", "the access list kept changing while this ran; try again");
}

export async function removeAllowed(deps: AdminDeps, input: PhoneInput): Promise<AllowRemoved> {
  const account = accountFor(deps.config, input.account);
  const inConfig = account.allowFrom.includes(input.phone);
  if (!(await deps.access.revoke(account.id, input.phone))) {
    if (inConfig) {
      throw new AdminError(
        409,
        "configured_in_allow_from",
        `phone: ${input.phone} is in the config's allowFrom for account "${account.id}" and cannot be removed at ` +
          "runtime; edit allowFrom in the config (smsctl config patch) and redeploy or restart",
        "phone",
      );
    }
    throw new AdminError(
      404,
      "not_approved",
      `phone: ${input.phone} is not an approved sender of account "${account.id}"`,
      "phone",
    );
  }
  deps.log.info("sender approval revoked", { account: account.id, phone: maskPhone(input.phone) });
  return {
    account: account.id,
    phone: input.phone,
    removed: true,
    stillAllowedByConfig: inConfig || account.allowFrom.includes("*"),
  };
}

function policyWarning(policy: DmPolicy): { warning?: string } {
  if (policy === "disabled") return { warning: 'dmPolicy is "disabled": no sender reaches the agent until it changes' };
  return {};
}

function toView(phone: string, entry: ApprovedEntry): ApprovedView {
  return { phone, at: new Date(entry.at).toISOString(), via: entry.via };
}
