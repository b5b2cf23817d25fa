import type { RuntimeAccount } from "../config/types.ts";
import { isLoopbackHost, stripFragment } from "../config/webhook-url.ts";
import { configuredWebhookUrl } from "../inbound/webhook-routing.ts";
import { TwilioApiError } from "../twilio/api-errors.ts";
import type { InboundWebhook, TwilioRestClient } from "../twilio/rest-client.ts";
import { accountFor } from "./accounts.ts";
import { AdminError } from "./admin-error.ts";
import type { AdminDeps } from "./deps.ts";
import { describeFailure } from "./probe.ts";
import type { WebhookSetInput } from "./request-input.ts";

/** Where one Twilio sender sends incoming messages. */
export interface WebhookSetting {
  url: string | null;
  method: string | null;
}

/** One number or Messaging Service pointed (or, on a dry run, to be pointed) at the webhook. */
export interface WebhookTarget {
  kind: "number" | "messaging-service";
  sid: string;
  /** The E.164 number, or the service's friendly name (its sid when it has none). */
  name: string;
  before: WebhookSetting;
  /** What Twilio answered after the change; on a dry run or when nothing changed, what it would be. */
  after: WebhookSetting;
  changed: boolean;
}

export interface WebhookSetResult {
  account: string;
  webhookUrl: string;
  dryRun: boolean;
  targets: WebhookTarget[];
}

/** `smsctl webhook set`: the named (or default) account's sender, pointed at the URL `status` shows. */
export async function setWebhook(deps: AdminDeps, input: WebhookSetInput): Promise<WebhookSetResult> {
  const account = accountFor(deps.config, input.account);
  const webhookUrl = configuredWebhookUrl(account, deps.stageBaseUrl);
  refuseUnreachable(webhookUrl);
  // Building the client reads the auth token, which can fail like any other Twilio call.
  const client = await twilioCall(async () => deps.twilioFor(account).client);
  const result = await pointSenderAtWebhook(account, webhookUrl, client, input.dryRun);
  deps.log.info("webhook set", {
    account: account.id,
    dryRun: input.dryRun,
    changed: result.targets.filter((target) => target.changed).length,
  });
  return result;
}

/**
 * Points the account's sender at its webhook with POST: the number's "A message comes in" (SmsUrl, SmsMethod), or
 * a Messaging Service's inbound request URL, or, when the service defers to its numbers' own webhooks, each of
 * those numbers. A sender already set exactly so is left alone; a dry run only reads.
 */
export async function pointSenderAtWebhook(
  account: RuntimeAccount,
  webhookUrl: string,
  client: TwilioRestClient,
  dryRun: boolean,
): Promise<WebhookSetResult> {
  refuseUnreachable(webhookUrl);
  const wanted: InboundWebhook = { url: webhookUrl, method: "POST" };
  const targets = await twilioCall(async () => {
    if (account.fromNumber !== undefined) return [await pointNumber(account.fromNumber, wanted, client, dryRun)];
    if (account.messagingServiceSid === undefined) {
      throw new AdminError(409, "no_sender", `account "${account.id}" has neither fromNumber nor messagingServiceSid`);
    }
    return pointService(account.messagingServiceSid, wanted, client, dryRun);
  });
  return { account: account.id, webhookUrl, dryRun, targets };
}

async function pointNumber(
  phoneNumber: string,
  wanted: InboundWebhook,
  client: TwilioRestClient,
  dryRun: boolean,
): Promise<WebhookTarget> {
  const number = await client.findIncomingNumber(phoneNumber);
  if (number === null) {
    throw new AdminError(409, "sender_not_found", `${phoneNumber} is not a phone number of this Twilio account`);
  }
  const before = { url: number.smsUrl, method: number.smsMethod };
  const target = { kind: "number" as const, sid: number.sid, name: phoneNumber, before };
  if (dryRun || isSetTo(before, wanted)) return { ...target, after: wanted, changed: false };
  const updated = await client.updateIncomingNumberWebhook(number.sid, wanted);
  return { ...target, after: { url: updated.smsUrl, method: updated.smsMethod }, changed: true };
}

async function pointService(
  serviceSid: string,
  wanted: InboundWebhook,
  client: TwilioRestClient,
  dryRun: boolean,
): Promise<WebhookTarget[]> {
  const service = await client.fetchMessagingService(serviceSid).catch((error: unknown) => {
    if (error instanceof TwilioApiError && error.httpStatus === 404) {
      throw new AdminError(409, "sender_not_found", `${serviceSid} is not a Messaging Service of this Twilio account`);
    }
    throw error;
  });
  if (service.useInboundWebhookOnNumber) {
    // "Defer to sender's webhook": the service's own URL is ignored, each number's is called.
    const numbers = await client.listMessagingServiceNumbers(serviceSid);
    if (numbers.length === 0) {
      throw new AdminError(
        409,
        "sender_not_found",
        `Messaging Service ${serviceSid} defers to its numbers' webhooks but has no phone numbers`,
      );
    }
    const targets: WebhookTarget[] = [];
    for (const number of numbers) targets.push(await pointNumber(number, wanted, client, dryRun));
    return targets;
  }
  const before = { url: service.inboundRequestUrl, method: service.inboundMethod };
  const target = { kind: "messaging-service" as const, sid: service.sid, name: service.friendlyName || service.sid };
  if (dryRun || isSetTo(before, wanted)) return [{ ...target, before, after: wanted, changed: false }];
  const updated = await client.updateMessagingServiceWebhook(service.sid, wanted);
  return [
    { ...target, before, after: { url: updated.inboundRequestUrl, method: updated.inboundMethod }, changed: true },
  ];
}

/**
 * The same URL byte for byte, with POST. Connection overrides (`#rc=3&rp=5xx`) an operator put on the sender are
 * kept, as the probe ignores them, unless the configured URL carries a fragment of its own, which is then meant.
 */
function isSetTo(current: WebhookSetting, wanted: InboundWebhook): boolean {
  if (current.url === null || (current.method ?? "").toUpperCase() !== wanted.method) return false;
  const configuredHasFragment = wanted.url.includes("#");
  return (configuredHasFragment ? current.url : stripFragment(current.url)) === wanted.url;
}

/** Pointing a real number at 127.0.0.1 would cut it off from the running channel: refused, with the fix. */
function refuseUnreachable(webhookUrl: string): void {
  const hostname = URL.canParse(webhookUrl) ? new URL(webhookUrl).hostname : "";
  if (hostname !== "" && !isLoopbackHost(hostname)) return;
  throw new AdminError(
    409,
    "webhook_not_public",
    `Twilio cannot reach ${webhookUrl}; set publicWebhookUrl to a public https URL (e.g. a tunnel) first`,
  );
}

/** Twilio's refusals and outages are not the caller's mistake: 502 with the adapter's (token-free) text. */
async function twilioCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AdminError) throw error;
    throw new AdminError(502, "twilio_error", `Twilio: ${describeFailure(error)}`);
  }
}
