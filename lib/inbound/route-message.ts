import { type AccessState, livePending, type PendingRequest } from "../access/access-state.ts";
import { type DropReason, decideInbound } from "../access/gate.ts";
import { generatePairingCode, pairingRequestText } from "../access/pairing-code.ts";
import { maskPhone } from "../access/phone.ts";
import type { RuntimeAccount } from "../config/types.ts";
import type { Log } from "../log/log.ts";
import type { Reply, Turn } from "../queue/messages.ts";
import type { QueuePublisher } from "../queue/publisher.ts";
import type { AccessStore } from "../store/access-store.ts";
import type { StatsStore } from "../store/stats-store.ts";
import type { InboundSms } from "./inbound-message.ts";

export interface MessageGateDeps {
  access: AccessStore;
  stats: StatsStore;
  queues: QueuePublisher;
  now: () => number;
  log: Log;
}

/** A concurrent pairing change is retried this often before the message is dropped as "busy". */
const PAIRING_ATTEMPTS = 3;

/** Counts the message, applies the sender policy, and turns it into an agent turn, a pairing request or nothing. */
export async function routeMessage(sms: InboundSms, account: RuntimeAccount, deps: MessageGateDeps): Promise<void> {
  const nowMs = deps.now();
  const logFields = { account: account.id, from: maskPhone(sms.from), messageSid: sms.messageSid };
  const counted = await deps.access.countAndRead(
    account.id,
    sms.from,
    nowMs,
    account.inboundRateLimit.perAccountPerMinute,
  );
  if (counted === "over-account-limit") return dropMessage("rate-limit-account", account, deps, nowMs, logFields);
  let state = counted;
  for (let attempt = 1; ; attempt++) {
    const decision = decideInbound({
      policy: account.dmPolicy,
      allowFrom: account.allowFrom,
      sender: sms.from,
      state,
      limits: account.inboundRateLimit,
      nowMs,
    });
    if (decision.kind === "turn") {
      await deps.queues.sendTurn(toTurn(sms, account, nowMs));
      deps.log.info("agent turn queued", logFields);
      return;
    }
    if (decision.kind === "drop") {
      if (decision.reason === "pairing-pending") await resendPairingCode(state, sms.from, account, deps, nowMs);
      return dropMessage(decision.reason, account, deps, nowMs, logFields);
    }
    const request: PendingRequest = {
      phone: sms.from,
      code: generatePairingCode(new Set(livePending(state, nowMs).map((pending) => pending.code))),
      createdAt: nowMs,
    };
    if (await deps.access.addPairingRequest(account.id, request, state, nowMs)) {
      await deps.queues.sendReply(pairingReply(account, request));
      deps.log.info("pairing request created", logFields);
      return;
    }
    if (attempt >= PAIRING_ATTEMPTS) {
      deps.log.warn("pairing request abandoned after concurrent changes", logFields);
      return;
    }
    state = await deps.access.read(account.id, nowMs);
  }
}

async function dropMessage(
  reason: DropReason,
  account: RuntimeAccount,
  deps: MessageGateDeps,
  nowMs: number,
  logFields: Record<string, unknown>,
): Promise<void> {
  deps.log.info("message dropped", { ...logFields, reason });
  // Rate-limit drops are counted for the operator (smsctl status); other drops are policy working as meant.
  if (reason.startsWith("rate-limit")) await deps.stats.countDrop(account.id, reason, nowMs);
}

/**
 * The code SMS has a replyId derived from the request, so queueing it again is free of duplicates (SQS dedupe, then
 * the outbound side's replyId record). Doing so when the sender writes again repairs the one case where the request
 * was stored but the SMS never queued (the webhook failed in between): the sender still gets exactly one code.
 */
async function resendPairingCode(
  state: AccessState,
  sender: string,
  account: RuntimeAccount,
  deps: MessageGateDeps,
  nowMs: number,
): Promise<void> {
  const request = livePending(state, nowMs).find((pending) => pending.phone === sender);
  if (request) await deps.queues.sendReply(pairingReply(account, request));
}

function pairingReply(account: RuntimeAccount, request: PendingRequest): Reply {
  return {
    version: 1,
    // replyIds allow no "+": the number's digits and the request's time keep it unique.
    replyId: `pairing:${account.id}:${request.phone.slice(1)}:${request.createdAt}`,
    account: account.id,
    to: request.phone,
    text: pairingRequestText(request.phone, request.code),
    kind: "pairing",
  };
}

function toTurn(sms: InboundSms, account: RuntimeAccount, nowMs: number): Turn {
  return {
    version: 1,
    turnId: `${account.id}:${sms.messageSid}`,
    account: account.id,
    channel: "sms",
    messageSid: sms.messageSid,
    from: sms.from,
    to: sms.to,
    text: sms.body,
    media: sms.media,
    receivedAt: new Date(nowMs).toISOString(),
  };
}
