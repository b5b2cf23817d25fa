import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { maskPhone } from "../access/phone.ts";
import type { RuntimeAccount, RuntimeConfig } from "../config/types.ts";
import { headerValue, rawBody } from "../http/api-gateway-event.ts";
import { emptyTwiml, textResponse } from "../http/responses.ts";
import type { Log } from "../log/log.ts";
import { METRIC, type Metrics } from "../metrics/metrics.ts";
import type { SecretResolver } from "../secrets/secret-resolver.ts";
import type { InboundReceiptStore } from "../store/inbound-receipt-store.ts";
import type { OptOutStore } from "../store/opt-out-store.ts";
import type { StatusStore } from "../store/status-store.ts";
import { isValidTwilioSignature } from "../twilio/signature.ts";
import { signedUrlCandidates } from "../twilio/signed-url.ts";
import { applyKeyword } from "./apply-keyword.ts";
import { parseInboundSms } from "./inbound-message.ts";
import { checkParameterNames } from "./parameter-names.ts";
import { checkParameterValues } from "./parameter-values.ts";
import { type MessageGateDeps, routeMessage } from "./route-message.ts";
import { isStatusCallback, parseStatusCallback } from "./status-callback.ts";
import { WebhookForm } from "./webhook-form.ts";
import { WebhookInputError } from "./webhook-input-error.ts";
import { accountForPath, configuredWebhookUrl } from "./webhook-routing.ts";

/** Far above any Twilio webhook (an MMS with 10 media URLs is under 4 KB). */
const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

/** How stale a cached auth token must be before a failed signature check re-reads it. */
const TOKEN_RECHECK_MS = 60_000;

export interface WebhookDeps extends MessageGateDeps {
  config: RuntimeConfig;
  optOuts: OptOutStore;
  receipts: InboundReceiptStore;
  /** The API Gateway stage URL, e.g. https://abc.execute-api.eu-west-1.amazonaws.com/prod */
  stageBaseUrl: string;
  secrets: SecretResolver;
  statuses: StatusStore;
  metrics: Metrics;
  log: Log;
}

/**
 * One Twilio webhook: prove it is Twilio's and shaped as Twilio sends it, then record a delivery status, or handle
 * a message exactly once (a keyword, or the sender gate). Always answers at once; the agent is never awaited.
 */
export async function handleWebhook(event: APIGatewayProxyEvent, deps: WebhookDeps): Promise<APIGatewayProxyResult> {
  const account = accountForPath(deps.config, event.resource || event.path);
  if (!account) return textResponse(404, "no SMS account is configured for this path");
  const body = rawBody(event);
  // Twilio's webhooks are a few KB; refusing big bodies first keeps forged requests from buying HMAC work.
  if (Buffer.byteLength(body) > MAX_WEBHOOK_BODY_BYTES) return textResponse(413, "request body too large");
  const form = WebhookForm.parse(body);

  if (!(await isAuthentic(event, form, account, deps))) {
    countInbound(deps, account, "refused:signature");
    return textResponse(403, "invalid Twilio signature");
  }
  if (form.get("AccountSid") !== account.accountSid) {
    deps.log.warn("webhook for another Twilio account refused", { account: account.id });
    countInbound(deps, account, "refused:account-sid");
    return textResponse(403, "AccountSid does not match this account");
  }
  try {
    checkParameterNames(form);
    checkParameterValues(form);
    if (isStatusCallback(form)) {
      await recordStatus(form, account, deps);
      return emptyTwiml();
    }
    await handleMessage(form, account, deps);
    return emptyTwiml();
  } catch (error) {
    if (!(error instanceof WebhookInputError)) throw error;
    // Signed but not what Twilio sends (a re-cut capture, say): refused and logged without its content.
    deps.log.warn("signed webhook refused", { account: account.id, field: error.field });
    countInbound(deps, account, "refused:input");
    return textResponse(400, error.message);
  }
}

/** A message: once per MessageSid, however often Twilio (or anyone replaying it) delivers the webhook. */
async function handleMessage(form: WebhookForm, account: RuntimeAccount, deps: WebhookDeps): Promise<void> {
  const sms = parseInboundSms(form);
  const logFields = { account: account.id, from: maskPhone(sms.sender.number), messageSid: sms.messageSid };
  const earlier = await deps.receipts.handledOutcome(account.id, sms.messageSid, deps.now());
  if (earlier !== undefined) {
    deps.log.info("message already handled; redelivery or replay ignored", { ...logFields, outcome: earlier });
    countInbound(deps, account, "duplicate");
    return;
  }
  const outcome = (await applyKeyword(sms, account, deps)) ?? (await routeMessage(sms, account, deps));
  await deps.receipts.recordHandled(account.id, sms.messageSid, outcome, deps.now());
  countInbound(deps, account, outcome);
}

/** Webhooks refused (any kind) and messages by what became of them: one metric, broken down by outcome. */
function countInbound(deps: WebhookDeps, account: RuntimeAccount, outcome: string): void {
  deps.metrics.record({ name: METRIC.inbound, account: account.id, breakdown: { outcome } });
}

async function isAuthentic(
  event: APIGatewayProxyEvent,
  form: WebhookForm,
  account: RuntimeAccount,
  deps: WebhookDeps,
): Promise<boolean> {
  if (account.dangerouslyDisableSignatureValidation) {
    deps.log.warn("signature validation is DISABLED for this account; do not expose it publicly", {
      account: account.id,
    });
    return true;
  }
  const urls = signedUrlCandidates(
    configuredWebhookUrl(account, deps.stageBaseUrl),
    event.multiValueQueryStringParameters,
  );
  const signature = headerValue(event, "x-twilio-signature");
  const params = form.signedParams();
  const matches = (token: string) => urls.some((url) => isValidTwilioSignature(token, signature, url, params));
  const token = await deps.secrets.resolve(account.authToken);
  if (matches(token)) return true;
  // The token may have just been put into the secret or rotated: re-read it (at most once a minute) before refusing.
  const fresher = await deps.secrets.refreshIfOlderThan(account.authToken, TOKEN_RECHECK_MS);
  if (fresher !== undefined && fresher !== token && matches(fresher)) return true;
  // The path only: a query string may carry something private, and forged requests are the attacker's to repeat.
  deps.log.warn("webhook signature rejected", { account: account.id, path: event.path });
  return false;
}

async function recordStatus(form: WebhookForm, account: RuntimeAccount, deps: WebhookDeps): Promise<void> {
  const callback = parseStatusCallback(form);
  const outcome = await deps.statuses.record({
    messageSid: callback.messageSid,
    accountId: account.id,
    status: callback.status,
    ...(callback.errorCode ? { errorCode: callback.errorCode } : {}),
    nowMs: deps.now(),
  });
  // Twilio retries callbacks (rc=5): a repeat or a late status is not counted again.
  if (outcome === "recorded") countStatus(callback, account, deps);
  deps.log.info("delivery status", {
    account: account.id,
    messageSid: callback.messageSid,
    status: callback.status,
    outcome,
  });
}

function countStatus(
  callback: { status: string; errorCode?: string },
  account: RuntimeAccount,
  deps: WebhookDeps,
): void {
  deps.metrics.record({ name: METRIC.deliveryStatuses, account: account.id, breakdown: { status: callback.status } });
  if (callback.errorCode) {
    deps.metrics.record({ name: METRIC.twilioErrors, account: account.id, breakdown: { code: callback.errorCode } });
  }
}
