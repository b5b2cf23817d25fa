import { readMessageSid } from "./inbound-message.ts";
import type { WebhookForm } from "./webhook-form.ts";

export interface StatusCallback {
  messageSid: string;
  status: string;
  errorCode?: string;
}

/** What an inbound message reports as its own status; any other status makes the webhook a delivery callback. */
const INBOUND_STATUSES = new Set(["received", "receiving"]);

/** Twilio's delivery callbacks carry MessageStatus; legacy ones only SmsSid and SmsStatus. */
export function isStatusCallback(form: WebhookForm): boolean {
  if (form.has("MessageStatus")) return true;
  const legacy = form.get("SmsStatus");
  return legacy !== undefined && !INBOUND_STATUSES.has(legacy);
}

/** A callback whose parameter formats were checked (checkParameterValues): the status is a word, ErrorCode digits. */
export function parseStatusCallback(form: WebhookForm): StatusCallback {
  const messageSid = readMessageSid(form);
  const status = form.get("MessageStatus") ?? form.get("SmsStatus") ?? "";
  const errorCode = form.get("ErrorCode") ?? "";
  return { messageSid, status, ...(errorCode ? { errorCode } : {}) };
}
