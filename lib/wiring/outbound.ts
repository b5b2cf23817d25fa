import type { ReplyBatchDeps } from "../outbound/process-reply-batch.ts";
import { retryDelaySeconds } from "../outbound/retry-backoff.ts";
import { visibilityPostponer } from "../queue/postpone.ts";
import { OptOutStore } from "../store/opt-out-store.ts";
import { ReplyStore } from "../store/reply-store.ts";
import { StatusStore } from "../store/status-store.ts";
import { dynamo, sqs } from "./aws-clients.ts";
import { log } from "./logger.ts";
import { requiredEnv } from "./memo.ts";
import { metrics } from "./metrics.ts";
import { runtimeConfig, tableName } from "./runtime-env.ts";
import { statusCallbackUrl, twilioFor, twilioTimeoutMs } from "./twilio.ts";

/** Time to record an accepted send after Twilio answered. */
const LEASE_MARGIN_SECONDS = 2;

let deps: ReplyBatchDeps | undefined;

export function outboundDeps(): ReplyBatchDeps {
  deps ??= {
    config: runtimeConfig(),
    replies: new ReplyStore(dynamo(), tableName()),
    optOuts: new OptOutStore(dynamo(), tableName()),
    // The per-message-sid items the inbound function writes statuses to; outbound marks each sent chunk's owner.
    statuses: new StatusStore(dynamo(), tableName()),
    twilioFor,
    statusCallbackUrl,
    now: Date.now,
    log,
    metrics,
    sqs: sqs(),
    dlqUrl: requiredEnv("SMS_REPLIES_DLQ_URL"),
    postpone: visibilityPostponer(sqs(), requiredEnv("SMS_REPLIES_QUEUE_URL")),
    retryDelaySeconds,
    // Failed delivery attempts per reply (the stack still names the variable after receives); the queue's redrive
    // policy, a little higher, only catches crashes.
    maxAttempts: Number(process.env.SMS_MAX_ATTEMPTS ?? "5"),
    ...claimLease(process.env.SMS_CLAIM_LEASE_SECONDS),
  };
  return deps;
}

/**
 * `SMS_CLAIM_LEASE_SECONDS`: how long a crashed attempt's chunk claim blocks others (default 120 s). It must outlast
 * a Twilio request by a margin, or a retry could look for a message Twilio is still creating and send it again.
 */
function claimLease(value: string | undefined): { claimLeaseMs?: number } {
  if (value === undefined || value === "") return {};
  const seconds = Number(value);
  const minimum = twilioTimeoutMs() / 1000 + LEASE_MARGIN_SECONDS;
  if (!Number.isFinite(seconds) || seconds < minimum) {
    throw new Error(
      `SMS_CLAIM_LEASE_SECONDS: expected at least ${minimum} seconds (the Twilio request timeout, ` +
        `SMS_TWILIO_TIMEOUT_SECONDS, plus ${LEASE_MARGIN_SECONDS}), got "${value}"`,
    );
  }
  return { claimLeaseMs: seconds * 1000 };
}
