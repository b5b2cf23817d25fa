import { describeInboundOutcome } from "../inbound/inbound-outcome.ts";

type LogRecord = Readonly<Record<string, unknown>>;

/**
 * What a person watching the local gateway reads: one line per inbound message, per reply and per delivery status,
 * rendered from the structured record the handlers log when it happens (its `event` field names which). The
 * records hold masked numbers and never a body, so neither do the lines.
 *
 * - `inbound` (lib/inbound/handle-webhook.ts): account, outcome, from, messageSid, earlier, field
 * - `reply` (lib/outbound): account, to, replyId, outcome (sent, refused, failed, retry-later, dead-lettered) and
 *   texts, segments, sids, reason, code, httpStatus, delaySeconds
 * - `delivery-status` (lib/inbound/handle-webhook.ts): account, messageSid, status, errorCode, outcome
 */
export function narrate(record: LogRecord): string | undefined {
  switch (record.event) {
    case "inbound":
      return inboundLine(record);
    case "reply":
      return replyLine(record);
    case "delivery-status":
      return statusLine(record);
    default:
      return undefined;
  }
}

function inboundLine(record: LogRecord): string {
  const who = joined([text(record.account), text(record.from) && `from ${text(record.from)}`, text(record.messageSid)]);
  const outcome = text(record.outcome);
  const details = [
    outcome === "duplicate" && record.earlier !== undefined
      ? `earlier: ${describeInboundOutcome(text(record.earlier))}`
      : "",
    record.field !== undefined ? `field ${text(record.field)}` : "",
  ].filter(Boolean);
  const detail = details.length > 0 ? ` (${details.join("; ")})` : "";
  return `[sms in] ${who}: ${describeInboundOutcome(outcome)}${detail}`;
}

function replyLine(record: LogRecord): string {
  // A record that was no reply at all (dead-lettered unread) has only the queue's message id.
  const which = text(record.replyId) || (text(record.messageId) && `message ${text(record.messageId)}`);
  const who = joined([text(record.account), text(record.to) && `to ${text(record.to)}`, which]);
  return `[reply] ${who}: ${replyOutcome(record)}`;
}

function replyOutcome(record: LogRecord): string {
  const reason = text(record.reason);
  switch (record.outcome) {
    case "sent": {
      const sids = Array.isArray(record.sids) ? record.sids.map(text).join(", ") : "";
      return `sent ${count(record.texts, "text")}, ${count(record.segments, "segment")}${sids ? ` (${sids})` : ""}`;
    }
    case "refused":
      return `refused: ${reason}`;
    case "failed":
      return record.code !== undefined || record.httpStatus !== undefined
        ? `failed: Twilio error ${text(record.code) || "none"} (HTTP ${text(record.httpStatus)}) on text ${Number(record.chunk ?? 0) + 1}`
        : `failed: ${reason}`;
    case "retry-later":
      return `not sent yet, retried in ${text(record.delaySeconds)} s: ${reason}`;
    case "dead-lettered":
      return `moved to the replies dead-letter queue (smsctl dlq list): ${reason}`;
    default:
      return text(record.outcome);
  }
}

function statusLine(record: LogRecord): string {
  const errorCode = text(record.errorCode);
  const repeat = record.outcome === "recorded" ? "" : ` (${text(record.outcome)}: not recorded again)`;
  return (
    `[status] ${text(record.account)} ${text(record.messageSid)}: ${text(record.status)}` +
    `${errorCode ? ` (Twilio error ${errorCode})` : ""}${repeat}`
  );
}

function count(value: unknown, noun: string): string {
  const n = Number(value ?? 0);
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function joined(parts: string[]): string {
  return parts.filter(Boolean).join(" ");
}

function text(value: unknown): string {
  return value === undefined || value === null ? "" : String(value);
}
