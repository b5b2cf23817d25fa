import type { RuntimeAccount } from "../config/types.ts";
import { stripFragment } from "../config/webhook-url.ts";
import { configuredWebhookUrl } from "../inbound/webhook-routing.ts";
import type {
  InboundWebhook,
  TwilioIncomingNumber,
  TwilioMessagingService,
  TwilioRestClient,
} from "../twilio/rest-client.ts";
import { accountFor } from "./accounts.ts";
import { AdminError } from "./admin-error.ts";
import type { AdminDeps } from "./deps.ts";
import { type InboundSenders, readInboundSenders, SenderLookupError } from "./inbound-senders.ts";
import { describeFailure } from "./probe.ts";
import type { WebhookSetInput } from "./request-input.ts";
import { disabledAccount, unreachableWebhook } from "./webhook-preconditions.ts";

/** Where one Twilio sender sends incoming messages. */
export interface WebhookSetting {
  url: string | null;
  method: string | null;
  /** A number's SMS TwiML App, only when it has one: Twilio then ignores url and method. */
  smsApplicationSid?: string;
}

/** One number or Messaging Service pointed (or, on a dry run, to be pointed) at the webhook. */
export interface WebhookTarget {
  kind: "number" | "messaging-service";
  sid: string;
  /** The E.164 number, or the service's friendly name (its sid when it has none). */
  name: string;
  before: WebhookSetting;
  /** What Twilio answered after the change; on a dry run what it would be; when nothing changed, `before`. */
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
  // Building the client reads its settings (the Twilio timeout), which can be wrong like any other Twilio call.
  const client = await twilioCall(async () => deps.twilioFor(account).client);
  const result = await pointSenderAtWebhook(account, webhookUrl, client, input.dryRun);
  deps.log.info("webhook set", {
    account: account.id,
    dryRun: input.dryRun,
    changed: result.targets.filter((target) => target.changed).length,
  });
  return result;
}

/** A change to make at Twilio, read first for every sender so that a refusal comes before any change. */
interface Plan {
  target: Omit<WebhookTarget, "after" | "changed">;
  /** What to post; null when the sender is already set so. */
  post: InboundWebhook | null;
  apply(client: TwilioRestClient, webhook: InboundWebhook): Promise<WebhookSetting>;
}

/**
 * Points the account's sender at its webhook with POST: the number's "A message comes in" (SmsUrl, SmsMethod,
 * removing an SMS TwiML App that would override them), or a Messaging Service's inbound request URL, or, when the
 * service defers to its numbers' own webhooks, each of those numbers; plus fromNumber when it is not one of the
 * service's numbers. A sender already set exactly so is left alone; a dry run only reads.
 */
export async function pointSenderAtWebhook(
  account: RuntimeAccount,
  webhookUrl: string,
  client: TwilioRestClient,
  dryRun: boolean,
): Promise<WebhookSetResult> {
  const refused = disabledAccount(account) ?? unreachableWebhook(webhookUrl);
  if (refused !== null) {
    throw new AdminError(409, account.enabled ? "webhook_not_public" : "account_disabled", refused);
  }
  const senders = await twilioCall(() => readSenders(account, client));
  const plans = plansFor(senders, webhookUrl);
  const targets: WebhookTarget[] = [];
  for (const plan of plans) {
    if (plan.post === null || dryRun) {
      targets.push({ ...plan.target, after: plan.post ?? plan.target.before, changed: false });
      continue;
    }
    const after = await plan.apply(client, plan.post).catch((error: unknown) => {
      throw partlyDone(error, plan, targets, plans);
    });
    targets.push({ ...plan.target, after, changed: true });
  }
  return { account: account.id, webhookUrl, dryRun, targets };
}

/** A sender Twilio does not have is the caller's to fix (409); a failed call is Twilio's (502, below). */
async function readSenders(account: RuntimeAccount, client: TwilioRestClient): Promise<InboundSenders> {
  try {
    return await readInboundSenders(account, client);
  } catch (error) {
    if (!(error instanceof SenderLookupError)) throw error;
    if (error.failure !== undefined) throw error.failure;
    throw new AdminError(409, error.check === "sender" ? "no_sender" : "sender_not_found", error.message);
  }
}

function plansFor(senders: InboundSenders, webhookUrl: string): Plan[] {
  const { service, serviceNumbers, ownNumber } = senders;
  const plans: Plan[] = [];
  if (service !== null && !service.useInboundWebhookOnNumber) plans.push(servicePlan(service, webhookUrl));
  plans.push(...serviceNumbers.map((number) => numberPlan(number, webhookUrl)));
  if (ownNumber !== null) plans.push(numberPlan(ownNumber, webhookUrl));
  return plans;
}

function numberPlan(number: TwilioIncomingNumber, webhookUrl: string): Plan {
  const before = numberSetting(number);
  const wanted = wantedWebhook(number.smsUrl, webhookUrl);
  const ready = number.smsApplicationSid === null && isSetTo(before, wanted);
  const clearSmsApplication = number.smsApplicationSid !== null;
  return {
    target: { kind: "number", sid: number.sid, name: number.phoneNumber, before },
    post: ready ? null : wanted,
    apply: async (client, webhook) =>
      numberSetting(await client.updateIncomingNumberWebhook(number.sid, webhook, { clearSmsApplication })),
  };
}

function servicePlan(service: TwilioMessagingService, webhookUrl: string): Plan {
  const before = { url: service.inboundRequestUrl, method: service.inboundMethod };
  const wanted = wantedWebhook(service.inboundRequestUrl, webhookUrl);
  return {
    target: { kind: "messaging-service", sid: service.sid, name: service.friendlyName || service.sid, before },
    post: isSetTo(before, wanted) ? null : wanted,
    apply: async (client, webhook) => {
      const updated = await client.updateMessagingServiceWebhook(service.sid, webhook);
      return { url: updated.inboundRequestUrl, method: updated.inboundMethod };
    },
  };
}

function numberSetting(number: TwilioIncomingNumber): WebhookSetting {
  return {
    url: number.smsUrl,
    method: number.smsMethod,
    ...(number.smsApplicationSid === null ? {} : { smsApplicationSid: number.smsApplicationSid }),
  };
}

/**
 * The configured URL with POST. Connection overrides (`#rc=3&rp=5xx`) an operator put on the sender's copy of that
 * URL are kept, as the probe ignores them, unless the configured URL carries a fragment of its own, which is then
 * meant.
 */
function wantedWebhook(current: string | null, webhookUrl: string): InboundWebhook {
  const keepsOverrides = !webhookUrl.includes("#") && current !== null && stripFragment(current) === webhookUrl;
  return { url: keepsOverrides ? current : webhookUrl, method: "POST" };
}

/** The same URL byte for byte, with POST. */
function isSetTo(current: WebhookSetting, wanted: InboundWebhook): boolean {
  return current.url === wanted.url && (current.method ?? "").toUpperCase() === wanted.method;
}

/** A failure after some senders were changed says which, so the operator knows where Twilio now stands. */
function partlyDone(error: unknown, failed: Plan, done: WebhookTarget[], plans: Plan[]): AdminError {
  const message = `Twilio: ${describeFailure(error)}`;
  const toChange = plans.filter((plan) => plan.post !== null);
  if (toChange.length <= 1) return new AdminError(502, "twilio_error", message);
  const changed = done.filter((target) => target.changed).map(targetName);
  return new AdminError(
    502,
    "twilio_error",
    `${message}; while pointing ${targetName(failed.target)}, after ` +
      `${changed.length === 0 ? "changing nothing" : `changing ${changed.join(", ")}`} ` +
      `(${changed.length} of ${toChange.length}); run smsctl webhook set again to finish`,
  );
}

function targetName(target: Pick<WebhookTarget, "kind" | "name">): string {
  return target.kind === "number" ? target.name : `Messaging Service "${target.name}"`;
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
