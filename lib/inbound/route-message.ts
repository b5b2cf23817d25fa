import { livePending, type PendingRequest } from "../access/access-state.ts";
import { decideInbound } from "../access/gate.ts";
import { generatePairingCode, pairingRequestText } from "../access/pairing-code.ts";
import { maskPhone } from "../access/phone.ts";
import type { RuntimeAccount } from "../config/types.ts";
import type { Log } from "../log/log.ts";
import type { Turn } from "../queue/messages.ts";
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
  let state = await deps.access.countAndRead(account.id, sms.from, nowMs);
  for (let attempt = 1; ; attempt++) {
    const decision = decideInbound({
      policy: account.dmPolicy,
      allowFrom: account.allowFrom,
      sender: sms.from,
      state,
      limits: account.inboundRateLimit,
      nowMs,
    });
    const logFields = { account: account.id, from: maskPhone(sms.from), messageSid: sms.messageSid };
    if (decision.kind === "turn") {
      await deps.queues.sendTurn(toTurn(sms, account, nowMs));
      deps.log.info("agent turn queued", logFields);
      return;
    }
    if (decision.kind === "drop") {
      deps.log.info("message dropped", { ...logFields, reason: decision.reason });
      // Rate-limit drops are counted for the operator (smsctl status); other drops are policy working as meant.
      if (decision.reason.startsWith("rate-limit")) await deps.stats.countDrop(account.id, decision.reason, nowMs);
      return;
    }
    const request: PendingRequest = {
      phone: sms.from,
      code: generatePairingCode(new Set(livePending(state, nowMs).map((pending) => pending.code))),
      createdAt: nowMs,
    };
    if (await deps.access.addPairingRequest(account.id, request, state, nowMs)) {
      await deps.queues.sendReply({
        version: 1,
        // replyIds allow no "+": the number's digits are enough to keep it unique.
        replyId: `pairing:${account.id}:${sms.from.slice(1)}:${nowMs}`,
        account: account.id,
        to: sms.from,
        text: pairingRequestText(sms.from, request.code),
        kind: "pairing",
      });
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
