import type { PendingRequest } from "../access/access-state.ts";
import { maskPhone } from "../access/phone.ts";
import { requestReplyId } from "../access/request-reply-id.ts";
import type { RuntimeAccount } from "../config/types.ts";
import type { Log } from "../log/log.ts";
import type { QueuePublisher } from "../queue/publisher.ts";
import type { StatsStore } from "../store/stats-store.ts";

/** Where an operator hears of pairing requests besides SMS: the stack's SNS topic on AWS, nothing locally. */
export interface OwnerTopic {
  publish(subject: string, message: string): Promise<void>;
}

export const noOwnerTopic: OwnerTopic = { async publish() {} };

export interface OwnerNoticeDeps {
  queues: Pick<QueuePublisher, "sendReply">;
  stats: Pick<StatsStore, "countOwnerNotice">;
  ownerTopic: OwnerTopic;
  now: () => number;
  log: Log;
}

/** A stranger can make pairing requests all day; the owner's phone hears of at most this many a day. */
export const OWNER_NOTICES_PER_DAY = 20;

export function ownerNoticeText(account: RuntimeAccount, request: PendingRequest): string {
  const accountOption = account.id === "default" ? "" : ` --account ${account.id}`;
  return (
    `New pairing request on "${account.id}" from ${maskPhone(request.phone)}. ` +
    `Approve: smsctl pairing approve ${request.code}${accountOption}`
  );
}

/**
 * Tells the account's owners of a new pairing request: one SMS to each `notifyTo` number (its replyId derived from
 * the request, so a retried webhook sends it once) and one message on the owner topic. Never fails the webhook: the
 * request is already made, and `smsctl pairing list` shows it whatever happens here.
 */
export async function noticeOwners(account: RuntimeAccount, request: PendingRequest, deps: OwnerNoticeDeps) {
  const owners = account.notifyTo ?? [];
  const text = ownerNoticeText(account, request);
  const logFields = { account: account.id, from: maskPhone(request.phone) };
  try {
    if (!(await deps.stats.countOwnerNotice(account.id, deps.now(), OWNER_NOTICES_PER_DAY))) {
      deps.log.warn(`owners not told of a pairing request: ${OWNER_NOTICES_PER_DAY} already today`, logFields);
      return;
    }
    for (const owner of owners) {
      await deps.queues.sendReply({
        version: 1,
        replyId: requestReplyId("pairing-notice", account.id, request, owner),
        account: account.id,
        to: owner,
        text,
        kind: "system",
      });
    }
    await deps.ownerTopic.publish(`sms-channel: pairing request on ${account.id}`, text);
  } catch (error) {
    deps.log.warn("owners not told of a pairing request", {
      ...logFields,
      reason: error instanceof Error ? error.message : String(error),
    });
  }
}
