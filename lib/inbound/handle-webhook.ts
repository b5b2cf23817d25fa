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
import type { StatusRecordOutcome, StatusStore } from "../store/status-store.ts";
import { isValidTwilioSignature } from "../twilio/signature.ts";
import { signedUrlCandidates } from "../twilio/signed-url.ts";
import { applyKeyword } from "./apply-keyword.ts";
import { parseInboundSms } from "./inbound-message.ts";
import { type InboundOutcome, OUTCOME_HEADER } from "./inbound-outcome.ts";
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

  // The path only: a query string may carry something private, and forged requests are the attacker's to repeat.
  if (!(await isAuthentic(event, form, account, deps))) {
    return refuse(deps, account, "refused:signature", 403, "invalid Twilio signature", { path: event.path });
  }
  if (form.get("AccountSid") !== account.accountSid) {
    return refuse(deps, account, "refused:account-sid", 403, "AccountSid does not match this account");
  }
  try {
    checkParameterNames(form);
    checkParameterValues(form);
    if (isStatusCallback(form)) return withOutcome(emptyTwiml(), `status:${await recordStatus(form, account, deps)}`);
    return withOutcome(emptyTwiml(), await handleMessage(form, account, deps));
  } catch (error) {
    if (!(error instanceof WebhookInputError)) throw error;
    // Signed but not what Twilio sends (a re-cut capture, say): refused and logged without its content.
    return refuse(deps, account, "refused:input", 400, error.message, { field: error.field });
  }
}

/** A message: once per MessageSid, however often Twilio (or anyone replaying it) delivers the webhook. */
async function handleMessage(form: WebhookForm, account: RuntimeAccount, deps: WebhookDeps): Promise<InboundOutcome> {
  const sms = parseInboundSms(form);
  const logFields = { from: maskPhone(sms.sender.number), messageSid: sms.messageSid };
  const earlier = await deps.receipts.handledOutcome(account.id, sms.messageSid, deps.now());
  if (earlier !== undefined) return settle(deps, account, "duplicate", { ...logFields, earlier });
  const outcome = (await applyKeyword(sms, account, deps)) ?? (await routeMessage(sms, account, deps));
  await deps.receipts.recordHandled(account.id, sms.messageSid, outcome, deps.now());
  return settle(deps, account, outcome, logFields);
}

/** Outcomes an operator should look at; the others are the channel working as configured. */
const WARNING_OUTCOMES: ReadonlySet<InboundOutcome> = new Set([
  "refused:signature",
  "refused:account-sid",
  "refused:input",
  "pairing-abandoned",
]);

/**
 * Every webhook that reaches an account ends here once, with what became of it: one metric broken down by outcome
 * and one log record (`event: "inbound"`, which the local gateway prints as a line; lib/log/narration.ts).
 */
function settle(
  deps: WebhookDeps,
  account: RuntimeAccount,
  outcome: InboundOutcome,
  fields: Record<string, unknown>,
): InboundOutcome {
  deps.metrics.record({ name: METRIC.inbound, account: account.id, breakdown: { outcome } });
  const record = { event: "inbound", account: account.id, outcome, ...fields };
  if (WARNING_OUTCOMES.has(outcome)) deps.log.warn("webhook not handled", record);
  else deps.log.info("inbound message handled", record);
  return outcome;
}

function refuse(
  deps: WebhookDeps,
  account: RuntimeAccount,
  outcome: InboundOutcome,
  status: 400 | 403,
  message: string,
  fields: Record<string, unknown> = {},
): APIGatewayProxyResult {
  settle(deps, account, outcome, fields);
  return withOutcome(textResponse(status, message), outcome);
}

function withOutcome(response: APIGatewayProxyResult, outcome: string): APIGatewayProxyResult {
  return { ...response, headers: { ...response.headers, [OUTCOME_HEADER]: outcome } };
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
  return fresher !== undefined && fresher !== token && matches(fresher);
}

async function recordStatus(
  form: WebhookForm,
  account: RuntimeAccount,
  deps: WebhookDeps,
): Promise<StatusRecordOutcome> {
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
    event: "delivery-status",
    account: account.id,
    messageSid: callback.messageSid,
    status: callback.status,
    ...(callback.errorCode ? { errorCode: callback.errorCode } : {}),
    outcome,
  });
  return outcome;
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
