import type { RuntimeAccount } from "../config/types.ts";
import { stripFragment } from "../config/webhook-url.ts";
import { TwilioApiError, TwilioTimeoutError } from "../twilio/api-errors.ts";
import type { TwilioIncomingNumber, TwilioMessagingService, TwilioRestClient } from "../twilio/rest-client.ts";
import { type InboundSenders, readInboundSenders, SenderLookupError } from "./inbound-senders.ts";
import { recentMessageChecks } from "./probe-recent-messages.ts";
import { disabledAccount, unreachableWebhook } from "./webhook-preconditions.ts";

export interface ProbeCheck {
  name: string;
  ok: boolean;
  detail: string;
  /** True when the probe could not look (the check does not count as a failure). */
  skipped?: boolean;
  /** Worth a look but not a failure: history (old 11200 errors, undelivered replies) that a fix cannot erase. */
  warning?: boolean;
}

export interface ProbeResult {
  ok: boolean;
  checks: ProbeCheck[];
}

/**
 * Asks Twilio whether the account is usable and whether its number (or Messaging Service) sends inbound SMS to
 * this channel's webhook (URL byte-for-byte, method POST), the two mistakes behind "no pairing request appears".
 * Errors become failed checks; their text comes from the REST adapter, which never includes the auth token.
 */
export async function probeAccount(
  account: RuntimeAccount,
  webhookUrl: string,
  client: TwilioRestClient,
): Promise<ProbeResult> {
  const checks: ProbeCheck[] = [];
  const disabled = disabledAccount(account);
  if (disabled !== null) checks.push({ name: "account-enabled", ok: false, detail: disabled });
  checks.push(signatureCheck(account));
  checks.push(reachabilityCheck(webhookUrl));

  const credentials = await attempt("credentials", async () => {
    const info = await client.fetchAccount();
    const active = info.status === "active";
    const trial = info.type.toLowerCase() === "trial" ? "; trial accounts can only text verified numbers" : "";
    return {
      ok: active,
      detail: `Twilio account ${info.sid}${info.friendlyName ? ` "${info.friendlyName}"` : ""} is ${info.status} (${info.type})${trial}`,
    };
  });
  checks.push(credentials);
  if (!credentials.ok) return finish(checks);
  const sender = await senderChecks(account, webhookUrl, client);
  checks.push(...sender);
  // Without a sender of this account its message log says nothing about this channel.
  if (sender.some((check) => !check.ok && SENDER_CHECKS.has(check.name))) return finish(checks);
  checks.push(...(await recentChecks(account, client)));
  return finish(checks);
}

/** The checks that fail when the account has no such sender. */
const SENDER_CHECKS = new Set<string>(["sender", "sender-number", "messaging-service"]);
/** How many wrong numbers of a service's pool a check names; the rest are counted. */
const SHOWN_NUMBERS = 5;

/**
 * The configured number and/or Messaging Service belong to the account, and every sender whose webhook Twilio calls
 * for the account's incoming SMS (the service's own, its numbers' when it defers to them, fromNumber's when it is
 * not in the service) calls this channel's webhook with POST.
 */
async function senderChecks(
  account: RuntimeAccount,
  webhookUrl: string,
  client: TwilioRestClient,
): Promise<ProbeCheck[]> {
  let senders: InboundSenders;
  try {
    senders = await readInboundSenders(account, client);
  } catch (error) {
    if (!(error instanceof SenderLookupError)) throw error;
    const detail = error.failure === undefined ? error.message : describeFailure(error.failure);
    return [{ name: error.check, ok: false, detail }];
  }
  const { fromNumber, service, serviceNumbers, ownNumber } = senders;
  const checks: ProbeCheck[] = [];
  if (fromNumber !== null) checks.push(senderNumberCheck(fromNumber));
  if (service !== null) {
    const label = `Messaging Service ${service.sid}${service.friendlyName ? ` "${service.friendlyName}"` : ""}`;
    checks.push({ name: "messaging-service", ok: true, detail: `${label} belongs to this account` });
    checks.push(
      ...(service.useInboundWebhookOnNumber
        ? [poolCheck(label, serviceNumbers, webhookUrl)]
        : serviceWebhookChecks(label, service, webhookUrl)),
    );
  }
  if (ownNumber !== null) checks.push(...numberWebhookChecks(ownNumber, webhookUrl, service !== null));
  return checks;
}

/** Twilio's message log for the sender; a log that cannot be read is a skipped check, not a failed probe. */
async function recentChecks(account: RuntimeAccount, client: TwilioRestClient): Promise<ProbeCheck[]> {
  try {
    return await recentMessageChecks(account, client);
  } catch (error) {
    return [{ name: "recent-messages", ok: true, skipped: true, detail: describeFailure(error) }];
  }
}

/** A number's "A message comes in": an SMS TwiML App overrides it; else the URL (byte for byte) and POST. */
function numberWebhookChecks(number: TwilioIncomingNumber, webhookUrl: string, besideService: boolean): ProbeCheck[] {
  const setting = `"A message comes in" of ${number.phoneNumber}`;
  // Beside a service, say why this number's own webhook is the one called.
  const why = besideService ? " (not in the Messaging Service, so its own webhook is called)" : "";
  const fix = " (smsctl webhook set)";
  let url: ProbeCheck;
  if (number.smsApplicationSid !== null) {
    url = {
      name: "webhook-url",
      ok: false,
      detail:
        `${number.phoneNumber} hands incoming SMS to SMS TwiML App ${number.smsApplicationSid}, so Twilio ignores ` +
        `its "A message comes in" URL${why}; smsctl webhook set clears the app and points the number at ${webhookUrl}`,
    };
  } else if (sameWebhook(number.smsUrl, webhookUrl)) {
    url = { name: "webhook-url", ok: true, detail: `${setting} calls ${webhookUrl}${why}` };
  } else {
    url = {
      name: "webhook-url",
      ok: false,
      detail: `${setting} is ${number.smsUrl ?? "not set"}${why}; expected exactly ${webhookUrl}${fix}`,
    };
  }
  return [url, methodCheck(number.smsMethod, besideService ? ` for ${number.phoneNumber}${fix}` : fix)];
}

/** A service's own inbound webhook: the URL (byte for byte) and POST. */
function serviceWebhookChecks(label: string, service: TwilioMessagingService, webhookUrl: string): ProbeCheck[] {
  const serviceName = service.friendlyName || service.sid;
  const where = `fix it with smsctl webhook set, or in the Twilio console: Messaging > Services > ${serviceName} > Integration`;
  const url: ProbeCheck = sameWebhook(service.inboundRequestUrl, webhookUrl)
    ? { name: "webhook-url", ok: true, detail: `${label} sends incoming messages to ${webhookUrl}` }
    : {
        name: "webhook-url",
        ok: false,
        detail:
          `${label} sends incoming messages to ` +
          `${service.inboundRequestUrl ?? "no webhook (request URL not set)"}; ` +
          `expected exactly ${webhookUrl}; ${where}`,
      };
  return [url, methodCheck(service.inboundMethod, `; ${where}`)];
}

/**
 * A service that defers to its numbers' webhooks ("Defer to sender's webhook"): its own URL is ignored, so each of
 * its numbers must call the webhook with POST. One check, naming the numbers that do not.
 */
function poolCheck(label: string, numbers: TwilioIncomingNumber[], webhookUrl: string): ProbeCheck {
  const how = `${label} uses each number's own webhook ("Defer to sender's webhook")`;
  const wrong = numbers.flatMap((number) => {
    const problem = numberProblem(number, webhookUrl);
    return problem === null ? [] : [`${number.phoneNumber} (${problem})`];
  });
  if (wrong.length === 0) {
    return { name: "webhook-url", ok: true, detail: `${how}: all ${numbers.length} call ${webhookUrl} with POST` };
  }
  const more = wrong.length > SHOWN_NUMBERS ? `; and ${wrong.length - SHOWN_NUMBERS} more` : "";
  return {
    name: "webhook-url",
    ok: false,
    detail:
      `${how}: ${wrong.length} of ${numbers.length} do not call ${webhookUrl} with POST: ` +
      `${wrong.slice(0, SHOWN_NUMBERS).join("; ")}${more}; fix them with smsctl webhook set, or in the Twilio ` +
      `console (Phone Numbers > Active numbers > <number> > Messaging, "A message comes in")`,
  };
}

/** What keeps one number from calling the webhook with POST, or null. */
function numberProblem(number: TwilioIncomingNumber, webhookUrl: string): string | null {
  if (number.smsApplicationSid !== null) return `SMS TwiML App ${number.smsApplicationSid} overrides its URL`;
  if (!sameWebhook(number.smsUrl, webhookUrl)) return `calls ${number.smsUrl ?? "nothing (not set)"}`;
  const method = (number.smsMethod ?? "").toUpperCase();
  return method === "POST" ? null : `with ${method || "no method"}`;
}

function methodCheck(configured: string | null, fixHint: string): ProbeCheck {
  const method = (configured ?? "").toUpperCase();
  return method === "POST"
    ? { name: "webhook-method", ok: true, detail: "Twilio calls the webhook with POST" }
    : {
        name: "webhook-method",
        ok: false,
        detail: `Twilio calls the webhook with ${method || "no method"}; expected POST${fixHint}`,
      };
}

function senderNumberCheck(found: TwilioIncomingNumber): ProbeCheck {
  const fromNumber = found.phoneNumber;
  return found.capabilities.sms
    ? { name: "sender-number", ok: true, detail: `${fromNumber} belongs to this account and can send SMS` }
    : { name: "sender-number", ok: false, detail: `${fromNumber} belongs to this account but is not SMS-capable` };
}

function signatureCheck(account: RuntimeAccount): ProbeCheck {
  return account.dangerouslyDisableSignatureValidation
    ? {
        name: "signature-validation",
        ok: false,
        detail: "DISABLED (dangerouslyDisableSignatureValidation): anyone who finds the URL can forge messages",
      }
    : { name: "signature-validation", ok: true, detail: "X-Twilio-Signature is checked on every webhook" };
}

function reachabilityCheck(webhookUrl: string): ProbeCheck {
  const problem = unreachableWebhook(webhookUrl);
  return problem === null
    ? { name: "webhook-public", ok: true, detail: `webhook URL is ${webhookUrl}` }
    : { name: "webhook-public", ok: false, detail: problem };
}

async function attempt(name: string, check: () => Promise<Omit<ProbeCheck, "name">>): Promise<ProbeCheck> {
  try {
    return { name, ...(await check()) };
  } catch (error) {
    return { name, ok: false, detail: describeFailure(error) };
  }
}

/** Human text for a failed Twilio call: what happened and what to check. */
export function describeFailure(error: unknown): string {
  if (error instanceof TwilioApiError) {
    const hint = error.kind === "auth" ? ": check accountSid and the auth token" : "";
    return `${error.message}${hint}`;
  }
  if (error instanceof TwilioTimeoutError) return `${error.message}: Twilio did not answer in time`;
  return error instanceof Error ? error.message : String(error);
}

function finish(checks: ProbeCheck[]): ProbeResult {
  return { ok: checks.every((check) => check.ok), checks };
}

/** Byte for byte, but for a fragment: Twilio strips connection overrides (`#rc=3&rp=5xx,ct,rt`) before calling. */
function sameWebhook(configured: string | null, webhookUrl: string): boolean {
  return configured !== null && stripFragment(configured) === stripFragment(webhookUrl);
}
