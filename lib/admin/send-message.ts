import { maskPhone } from "../access/phone.ts";
import type { Reply } from "../queue/messages.ts";
import { accountFor } from "./accounts.ts";
import { AdminError } from "./admin-error.ts";
import type { AdminDeps } from "./deps.ts";
import type { SendInput } from "./request-input.ts";

export interface MessageQueued {
  account: string;
  replyId: string;
  to: string;
}

/**
 * Queues an operator message on the replies queue; the outbound function renders, chunks and sends it like any
 * reply. Refused early when Twilio would refuse it anyway (disabled account, recipient opted out).
 */
export async function sendAdminMessage(deps: AdminDeps, input: SendInput): Promise<MessageQueued> {
  const account = accountFor(deps.config, input.account);
  const to = input.target ?? account.defaultTo;
  if (to === undefined) {
    throw new AdminError(
      400,
      "invalid_request",
      `target: required (account "${account.id}" has no defaultTo), e.g. "target": "sms:+15551234567"`,
      "target",
    );
  }
  if (!account.enabled) {
    throw new AdminError(
      409,
      "account_disabled",
      `account: "${account.id}" is disabled (enabled: false in the config)`,
    );
  }
  if (await deps.optOuts.isOptedOut(account.id, to)) {
    throw new AdminError(
      409,
      "recipient_opted_out",
      `target: ${to} texted STOP to account "${account.id}"; nothing can be sent until they text START`,
      "target",
    );
  }

  const reply: Reply = {
    version: 1,
    replyId: `admin:${deps.newId()}`,
    account: account.id,
    to,
    text: input.message,
    ...(input.media === undefined || input.media.length === 0 ? {} : { media: input.media }),
    kind: "system",
  };
  await deps.queues.sendReply(reply);
  deps.log.info("operator message queued", { account: account.id, to: maskPhone(to), replyId: reply.replyId });
  return { account: account.id, replyId: reply.replyId, to };
}
