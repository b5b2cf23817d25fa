import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { classifyKeyword } from "../access/keywords.ts";
import { maskPhone } from "../access/phone.ts";
import type { RuntimeAccount, RuntimeConfig } from "../config/types.ts";
import { firstValue, headerValue, parseForm, rawBody } from "../http/api-gateway-event.ts";
import { emptyTwiml, textResponse } from "../http/responses.ts";
import type { Log } from "../log/log.ts";
import type { SecretResolver } from "../secrets/secret-resolver.ts";
import type { OptOutStore } from "../store/opt-out-store.ts";
import type { StatusStore } from "../store/status-store.ts";
import { MESSAGE_SID } from "../twilio/sids.ts";
import { isValidTwilioSignature } from "../twilio/signature.ts";
import { signedUrlCandidates } from "../twilio/signed-url.ts";
import { type InboundSms, isStatusCallback, parseInboundSms, WebhookInputError } from "./inbound-message.ts";
import { type MessageGateDeps, routeMessage } from "./route-message.ts";
import { accountForPath, configuredWebhookUrl } from "./webhook-routing.ts";

/** Far above any Twilio webhook (an MMS with 10 media URLs is under 4 KB). */
const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

/** How stale a cached auth token must be before a failed signature check re-reads it. */
const TOKEN_RECHECK_MS = 60_000;

export interface WebhookDeps extends MessageGateDeps {
  config: RuntimeConfig;
  optOuts: OptOutStore;
  /** The API Gateway stage URL, e.g. https://abc.execute-api.eu-west-1.amazonaws.com/prod */
  stageBaseUrl: string;
  secrets: SecretResolver;
  statuses: StatusStore;
  log: Log;
}

/**
 * One Twilio webhook: prove it is Twilio's, then record a delivery status, apply a keyword, or route a message.
 * Always answers at once; the agent is never awaited.
 */
export async function handleWebhook(event: APIGatewayProxyEvent, deps: WebhookDeps): Promise<APIGatewayProxyResult> {
  const account = accountForPath(deps.config, event.resource || event.path);
  if (!account) return textResponse(404, "no SMS account is configured for this path");
  const body = rawBody(event);
  // Twilio's webhooks are a few KB; refusing big bodies first keeps forged requests from buying HMAC work.
  if (Buffer.byteLength(body) > MAX_WEBHOOK_BODY_BYTES) return textResponse(413, "request body too large");
  const params = parseForm(body);

  if (!(await isAuthentic(event, params, account, deps))) return textResponse(403, "invalid Twilio signature");
  const accountSid = firstValue(params, "AccountSid");
  if (accountSid !== account.accountSid) {
    deps.log.warn("webhook for another Twilio account refused", { account: account.id });
    return textResponse(403, "AccountSid does not match this account");
  }

  if (isStatusCallback(params)) {
    await recordStatus(params, account, deps);
    return emptyTwiml();
  }

  let sms: InboundSms;
  try {
    sms = parseInboundSms(params);
  } catch (error) {
    if (error instanceof WebhookInputError) return textResponse(400, error.message);
    throw error;
  }

  const keyword = classifyKeyword(sms.body);
  const logFields = { account: account.id, from: maskPhone(sms.from) };
  if (keyword === "opt-out") {
    await deps.optOuts.optOut(account.id, sms.from, deps.now());
    deps.log.info("sender opted out", logFields);
    return emptyTwiml();
  }
  if (keyword === "help") {
    deps.log.info("help keyword not forwarded (Twilio answers it)", logFields);
    return emptyTwiml();
  }
  // START/YES/UNSTOP are the carrier's business only when they end an opt-out; otherwise "Yes" is an answer.
  if (keyword === "opt-in" && (await deps.optOuts.optIn(account.id, sms.from))) {
    deps.log.info("sender opted back in", logFields);
    return emptyTwiml();
  }

  await routeMessage(sms, account, deps);
  return emptyTwiml();
}

async function isAuthentic(
  event: APIGatewayProxyEvent,
  params: Record<string, string | string[]>,
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

async function recordStatus(
  params: Record<string, string | string[]>,
  account: RuntimeAccount,
  deps: WebhookDeps,
): Promise<void> {
  const messageSid = firstValue(params, "MessageSid") ?? "";
  const status = firstValue(params, "MessageStatus") ?? "";
  if (!MESSAGE_SID.test(messageSid) || status === "") return;
  const errorCode = firstValue(params, "ErrorCode");
  const outcome = await deps.statuses.record({
    messageSid,
    accountId: account.id,
    status,
    ...(errorCode ? { errorCode } : {}),
    nowMs: deps.now(),
  });
  deps.log.info("delivery status", { account: account.id, messageSid, status, outcome });
}
