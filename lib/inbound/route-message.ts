import { type AccessState, livePending, type PendingRequest } from "../access/access-state.ts";
import { formatSenderAddress } from "../access/address.ts";
import { type DropReason, decideInbound } from "../access/gate.ts";
import { generatePairingCode, pairingRequestText } from "../access/pairing-code.ts";
import { requestReplyId } from "../access/request-reply-id.ts";
import type { RuntimeAccount } from "../config/types.ts";
import type { Log } from "../log/log.ts";
import type { Reply } from "../queue/messages.ts";
import type { QueuePublisher } from "../queue/publisher.ts";
import type { AccessStore } from "../store/access-store.ts";
import type { StatsStore } from "../store/stats-store.ts";
import type { InboundSms } from "./inbound-message.ts";
import { noticeOwners, type OwnerTopic } from "./owner-notice.ts";
import { toTurn } from "./to-turn.ts";

export interface MessageGateDeps {
  access: AccessStore;
  stats: StatsStore;
  queues: QueuePublisher;
  /** Told of each new pairing request, with the account's notifyTo numbers. */
  ownerTopic: OwnerTopic;
  now: () => number;
  log: Log;
}

/** A concurrent pairing change is retried this often before the message is dropped as "busy". */
const PAIRING_ATTEMPTS = 3;

/** What became of a message: the webhook records it with the message's receipt and logs it (handle-webhook.ts). */
export type RouteOutcome = "turn" | "pairing-requested" | "pairing-abandoned" | `dropped:${DropReason}`;

/** Counts the message, applies the sender policy, and turns it into an agent turn, a pairing request or nothing. */
export async function routeMessage(
  sms: InboundSms,
  account: RuntimeAccount,
  deps: MessageGateDeps,
): Promise<RouteOutcome> {
  const nowMs = deps.now();
  const sender = sms.sender.number;
  const counted = await deps.access.countAndRead(
    account.id,
    sender,
    nowMs,
    account.inboundRateLimit.perAccountPerMinute,
  );
  if (counted === "over-account-limit") return dropMessage("rate-limit-account", account, deps, nowMs);
  let state = counted;
  for (let attempt = 1; ; attempt++) {
    const decision = decideInbound({
      policy: account.dmPolicy,
      allowFrom: account.allowFrom,
      sender,
      state,
      limits: account.inboundRateLimit,
      nowMs,
    });
    if (decision.kind === "turn") {
      await deps.queues.sendTurn(toTurn(sms, account, nowMs));
      return "turn";
    }
    if (decision.kind === "drop") {
      if (decision.reason === "pairing-pending") await resendPairingCode(state, sms, account, deps, nowMs);
      return dropMessage(decision.reason, account, deps, nowMs);
    }
    const request: PendingRequest = {
      phone: sender,
      code: generatePairingCode(new Set(livePending(state, nowMs).map((pending) => pending.code))),
      createdAt: nowMs,
    };
    if (await deps.access.addPairingRequest(account.id, request, state, nowMs)) {
      await deps.queues.sendReply(pairingReply(account, request, formatSenderAddress(sms.sender)));
      await noticeOwners(account, request, deps);
      return "pairing-requested";
    }
    if (attempt >= PAIRING_ATTEMPTS) return "pairing-abandoned";
    state = await deps.access.read(account.id, nowMs);
  }
}

async function dropMessage(
  reason: DropReason,
  account: RuntimeAccount,
  deps: MessageGateDeps,
  nowMs: number,
): Promise<RouteOutcome> {
  // Rate-limit drops are counted for the operator (smsctl status); other drops are policy working as meant.
  if (reason.startsWith("rate-limit")) await deps.stats.countDrop(account.id, reason, nowMs);
  return `dropped:${reason}`;
}

/**
 * The code SMS has a replyId derived from the request, so queueing it again is free of duplicates (SQS dedupe, then
 * the outbound side's replyId record). Doing so when the sender writes again repairs the one case where the request
 * was stored but the SMS never queued (the webhook failed in between): the sender still gets exactly one code.
 */
async function resendPairingCode(
  state: AccessState,
  sms: InboundSms,
  account: RuntimeAccount,
  deps: MessageGateDeps,
  nowMs: number,
): Promise<void> {
  const request = livePending(state, nowMs).find((pending) => pending.phone === sms.sender.number);
  if (request) await deps.queues.sendReply(pairingReply(account, request, formatSenderAddress(sms.sender)));
}

/** The code goes back on the channel the request came in on (`to` is the sender's address, rcs: included). */
function pairingReply(account: RuntimeAccount, request: PendingRequest, to: string): Reply {
  return {
    version: 1,
    replyId: requestReplyId("pairing", account.id, request),
    account: account.id,
    to,
    text: pairingRequestText(request.phone, request.code),
    kind: "pairing",
  };
}
