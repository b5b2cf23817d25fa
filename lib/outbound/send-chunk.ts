import { numberOf } from "../access/address.ts";
import type { RuntimeAccount } from "../config/types.ts";
import { METRIC } from "../metrics/metrics.ts";
import type { Reply } from "../queue/messages.ts";
import { countSegments } from "../text/segments.ts";
import { TwilioApiError, TwilioTimeoutError } from "../twilio/api-errors.ts";
import type { TwilioMessage } from "../twilio/rest-client.ts";
import { RetryLater } from "./delivery-errors.ts";
import { messageRoute } from "./message-route.ts";
import type { AccountTwilio, DeliveryOutcome, OutboundDeps } from "./outbound-deps.ts";
import { statusCallbackWithRetries } from "./status-callback.ts";

export type ChunkResult = { kind: "sent"; message: TwilioMessage } | Exclude<DeliveryOutcome, { kind: "sent" }>;

export interface Chunk {
  reply: Reply;
  account: RuntimeAccount;
  body: string;
  index: number;
}

/**
 * One create call for one chunk. A 20003 re-reads the token and tries once more; a transient failure becomes
 * RetryLater (ambiguous when Twilio may have accepted it); 21610 and other 4xx finish the reply.
 */
export async function sendChunk(
  chunk: Chunk,
  twilio: AccountTwilio,
  deps: OutboundDeps,
  logFields: Record<string, unknown>,
): Promise<ChunkResult> {
  const { reply, account, body, index } = chunk;
  const input = {
    ...messageRoute(account, reply.to),
    ...(body !== "" ? { body } : {}),
    ...(index === 0 && reply.media?.length ? { mediaUrls: reply.media } : {}),
    statusCallback: statusCallbackWithRetries(deps.statusCallbackUrl(account)),
  };
  for (let attempt = 1; ; attempt++) {
    try {
      const message = await twilio.client.sendMessage(input);
      countSent(account.id, body, deps);
      return { kind: "sent", message };
    } catch (error) {
      if (!(error instanceof TwilioApiError)) {
        const reason = error instanceof TwilioTimeoutError ? "timeout" : "network";
        deps.metrics.record({ name: METRIC.sendFailures, account: account.id, breakdown: { reason } });
        if (error instanceof TwilioTimeoutError) throw new RetryLater(`Twilio did not answer for chunk ${index}`, true);
        throw error;
      }
      if (error.kind === "auth" && attempt === 1) {
        twilio.refreshToken();
        continue;
      }
      const code = error.code === null ? `http-${error.httpStatus}` : String(error.code);
      deps.metrics.record({ name: METRIC.twilioErrors, account: account.id, breakdown: { code } });
      deps.metrics.record({ name: METRIC.sendFailures, account: account.id, breakdown: { reason: code } });
      if (error.kind === "auth" && !(await twilio.tokenLooksSet().catch(() => true))) {
        deps.metrics.record({ name: METRIC.authTokenNotSet, account: account.id });
        deps.log.error("Twilio refused the credentials: the auth-token secret still holds its placeholder", logFields);
      }
      if (error.kind === "retryable" || error.kind === "auth") {
        // A 429 or an auth failure was refused before anything was created; a 5xx may hide an accepted message.
        const ambiguous = error.httpStatus >= 500;
        throw new RetryLater(`Twilio ${error.httpStatus} (code ${error.code ?? "none"}) on chunk ${index}`, ambiguous);
      }
      if (error.kind === "opted-out") {
        await deps.optOuts.optOut(account.id, numberOf(reply.to), deps.now());
        await deps.replies.finish(
          account.id,
          reply.replyId,
          "refused",
          "Twilio 21610: recipient opted out",
          deps.now(),
        );
        const reason = "recipient opted out (21610)";
        deps.log.info("reply refused by Twilio: recipient opted out", {
          ...logFields,
          event: "reply",
          outcome: "refused",
          reason,
        });
        return { kind: "refused", reason };
      }
      const reason = `Twilio ${error.httpStatus} code ${error.code ?? "none"}: ${error.message}`;
      await deps.replies.finish(account.id, reply.replyId, "failed", reason, deps.now());
      // Twilio's message may quote the number, so the record keeps the code and status only.
      deps.log.warn("reply failed with a terminal Twilio error", {
        ...logFields,
        event: "reply",
        outcome: "failed",
        code: error.code,
        httpStatus: error.httpStatus,
        chunk: index,
      });
      return { kind: "failed", reason };
    }
  }
}

/** A text created at Twilio, and what it bills. */
function countSent(account: string, body: string, deps: OutboundDeps): void {
  deps.metrics.record({ name: METRIC.textsSent, account });
  const segments = billedSegments(body);
  if (segments > 0) deps.metrics.record({ name: METRIC.segmentsBilled, account, value: segments });
}

/** The segments one chunk bills (a media-only message has no text segments). */
export function billedSegments(body: string): number {
  return body === "" ? 0 : countSegments(body).segments;
}
