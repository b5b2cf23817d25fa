import { createHash } from "node:crypto";
import type { PendingRequest } from "./access-state.ts";

/**
 * The replyId of an SMS about a pairing request (the code, the approval, an owner's notice). Derived from the
 * request, so queueing it again is deduplicated; a digest rather than the number, because replyIds appear in logs,
 * metrics and `smsctl dlq list`, where phone numbers are only ever shown masked.
 */
export function requestReplyId(
  kind: "pairing" | "pairing-approved" | "pairing-notice",
  accountId: string,
  request: Pick<PendingRequest, "phone" | "createdAt">,
  recipient = "",
): string {
  const digest = createHash("sha256").update(`${request.phone}:${request.createdAt}:${recipient}`).digest("hex");
  return `${kind}:${accountId}:${digest.slice(0, 32)}`;
}
