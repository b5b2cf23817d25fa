import { readMessageSid } from "./inbound-message.ts";
import type { WebhookForm } from "./webhook-form.ts";
import { quoted, WebhookInputError } from "./webhook-input-error.ts";

export interface StatusCallback {
  messageSid: string;
  status: string;
  errorCode?: string;
}

/** What an inbound message reports as its own status; any other status makes the webhook a delivery callback. */
const INBOUND_STATUSES = new Set(["received", "receiving"]);
const STATUS = /^[a-z][a-z_]{0,31}$/;
const ERROR_CODE = /^\d{1,6}$/;

/** Twilio's delivery callbacks carry MessageStatus; legacy ones only SmsSid and SmsStatus. */
export function isStatusCallback(form: WebhookForm): boolean {
  if (form.has("MessageStatus")) return true;
  const legacy = form.get("SmsStatus");
  return legacy !== undefined && !INBOUND_STATUSES.has(legacy);
}

export function parseStatusCallback(form: WebhookForm): StatusCallback {
  const messageSid = readMessageSid(form);
  const name = form.has("MessageStatus") ? "MessageStatus" : "SmsStatus";
  const status = form.get(name) ?? "";
  if (!STATUS.test(status))
    throw new WebhookInputError(`${name}: expected a Twilio message status, got ${quoted(status)}`);
  const errorCode = form.get("ErrorCode") ?? "";
  if (errorCode !== "" && !ERROR_CODE.test(errorCode)) {
    throw new WebhookInputError(`ErrorCode: expected a Twilio error code (digits), got ${quoted(errorCode)}`);
  }
  return { messageSid, status, ...(errorCode ? { errorCode } : {}) };
}
