import { livePending } from "../access/access-state.ts";
import type { DmPolicy } from "../config/policy.ts";
import type { RuntimeAccount } from "../config/types.ts";
import { configuredWebhookUrl } from "../inbound/webhook-routing.ts";
import { accountFor } from "./accounts.ts";
import type { AdminDeps } from "./deps.ts";
import { describeFailure, type ProbeResult, probeAccount } from "./probe.ts";
import type { StatusInput } from "./request-input.ts";

export interface AccountStatus {
  id: string;
  default: boolean;
  enabled: boolean;
  dmPolicy: DmPolicy;
  sender: { fromNumber: string } | { messagingServiceSid: string };
  webhookUrl: string;
  signatureValidation: boolean;
  allowFrom: number;
  pending: number;
  approved: number;
  optedOut: number;
  /** Messages dropped today (UTC) by reason, e.g. rate limits. */
  droppedToday: Record<string, number>;
  probe?: ProbeResult;
}

export interface ChannelStatus {
  defaultAccount: string;
  accounts: AccountStatus[];
  /** Messages waiting in the dead-letter queues: nothing is lost, but someone has to look. */
  deadLetters: { turns: number; replies: number };
  /** Only with probe: every check of every account passed. */
  ok?: boolean;
}

/** One account (when named) or all of them; accounts are read and probed in parallel. */
export async function describeStatus(deps: AdminDeps, input: StatusInput): Promise<ChannelStatus> {
  const accounts = input.account === undefined ? deps.config.accounts : [accountFor(deps.config, input.account)];
  const [statuses, deadLetters] = await Promise.all([
    Promise.all(accounts.map((account) => accountStatus(deps, account, input.probe))),
    deps.deadLetters(),
  ]);
  return {
    defaultAccount: deps.config.defaultAccount,
    accounts: statuses,
    deadLetters,
    ...(input.probe ? { ok: statuses.every((status) => status.probe?.ok === true) } : {}),
  };
}

async function accountStatus(deps: AdminDeps, account: RuntimeAccount, probe: boolean): Promise<AccountStatus> {
  const nowMs = deps.now();
  const webhookUrl = configuredWebhookUrl(account, deps.stageBaseUrl);
  const [state, optedOut, droppedToday, probeResult] = await Promise.all([
    deps.access.read(account.id, nowMs),
    deps.optOuts.count(account.id),
    deps.stats.droppedToday(account.id, nowMs),
    probe ? safeProbe(deps, account, webhookUrl) : Promise.resolve(undefined),
  ]);
  return {
    id: account.id,
    default: account.id === deps.config.defaultAccount,
    enabled: account.enabled,
    dmPolicy: account.dmPolicy,
    sender: account.fromNumber
      ? { fromNumber: account.fromNumber }
      : { messagingServiceSid: account.messagingServiceSid ?? "" },
    webhookUrl,
    signatureValidation: !account.dangerouslyDisableSignatureValidation,
    allowFrom: account.allowFrom.length,
    pending: livePending(state, nowMs).length,
    approved: state.approved.size,
    optedOut,
    droppedToday,
    ...(probeResult ? { probe: probeResult } : {}),
  };
}

/** A client that cannot even be built (secret missing) is a failed check, not a failed request. */
async function safeProbe(deps: AdminDeps, account: RuntimeAccount, webhookUrl: string): Promise<ProbeResult> {
  try {
    return await probeAccount(account, webhookUrl, deps.twilioFor(account).client);
  } catch (error) {
    return { ok: false, checks: [{ name: "credentials", ok: false, detail: describeFailure(error) }] };
  }
}
