import { formatSenderAddress } from "../access/address.ts";
import type { RuntimeAccount } from "../config/types.ts";
import { type Turn, turnSchema } from "../queue/messages.ts";
import type { InboundSms } from "./inbound-message.ts";
import { WebhookInputError } from "./webhook-input-error.ts";

/**
 * The agent turn for an approved message, checked against the turn contract before it is queued: whatever the
 * webhook accepts must be a turn an agent can read, never a message that dies in the dead-letter queue after 200.
 */
export function toTurn(sms: InboundSms, account: RuntimeAccount, nowMs: number): Turn {
  const turn: Turn = {
    version: 1,
    turnId: `${account.id}:${sms.messageSid}`,
    account: account.id,
    channel: sms.sender.channel,
    messageSid: sms.messageSid,
    from: formatSenderAddress(sms.sender),
    to: sms.to,
    text: sms.body,
    media: sms.media,
    ...(sms.mediaOmitted > 0 ? { mediaOmitted: sms.mediaOmitted } : {}),
    receivedAt: new Date(nowMs).toISOString(),
  };
  const checked = turnSchema.safeParse(turn);
  if (!checked.success) {
    const detail = checked.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new WebhookInputError("turn-contract", `message does not fit the turn contract: ${detail}`);
  }
  return turn;
}
