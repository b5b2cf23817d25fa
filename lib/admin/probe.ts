import type { RuntimeAccount } from "../config/types.ts";
import { isLoopbackHost, stripFragment } from "../config/webhook-url.ts";
import { TwilioApiError, TwilioTimeoutError } from "../twilio/api-errors.ts";
import type { TwilioIncomingNumber, TwilioMessagingService, TwilioRestClient } from "../twilio/rest-client.ts";
import { recentMessageChecks } from "./probe-recent-messages.ts";

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
const SENDER_CHECKS = new Set(["sender", "sender-number", "messaging-service"]);

/** The configured number (or Messaging Service) belongs to the account and calls the webhook with POST. */
async function senderChecks(
  account: RuntimeAccount,
  webhookUrl: string,
  client: TwilioRestClient,
): Promise<ProbeCheck[]> {
  if (account.fromNumber === undefined) {
    if (account.messagingServiceSid === undefined) {
      return [{ name: "sender", ok: false, detail: "neither fromNumber nor messagingServiceSid is configured" }];
    }
    return messagingServiceChecks(account.messagingServiceSid, webhookUrl, client);
  }

  let found: TwilioIncomingNumber | null;
  try {
    found = await client.findIncomingNumber(account.fromNumber);
  } catch (error) {
    return [{ name: "sender-number", ok: false, detail: describeFailure(error) }];
  }
  const numberCheck = senderNumberCheck(account.fromNumber, found);
  if (found === null) return [numberCheck];
  return [
    numberCheck,
    sameWebhook(found.smsUrl, webhookUrl)
      ? { name: "webhook-url", ok: true, detail: `"A message comes in" calls ${webhookUrl}` }
      : {
          name: "webhook-url",
          ok: false,
          detail: `"A message comes in" is ${found.smsUrl === null ? "not set" : found.smsUrl}; expected exactly ${webhookUrl} (smsctl webhook set)`,
        },
    methodCheck(found.smsMethod, " (smsctl webhook set)"),
  ];
}

/** Twilio's message log for the sender; a log that cannot be read is a skipped check, not a failed probe. */
async function recentChecks(account: RuntimeAccount, client: TwilioRestClient): Promise<ProbeCheck[]> {
  try {
    return await recentMessageChecks(account, client);
  } catch (error) {
    return [{ name: "recent-messages", ok: true, skipped: true, detail: describeFailure(error) }];
  }
}

/**
 * For a Messaging Service sender: the service exists, and either its own inbound webhook is this channel's (URL
 * byte-for-byte, POST) or it defers to each number's webhook, which the probe cannot list, so it says what to set.
 */
async function messagingServiceChecks(
  serviceSid: string,
  webhookUrl: string,
  client: TwilioRestClient,
): Promise<ProbeCheck[]> {
  let service: TwilioMessagingService;
  try {
    service = await client.fetchMessagingService(serviceSid);
  } catch (error) {
    const detail =
      error instanceof TwilioApiError && error.httpStatus === 404
        ? `${serviceSid} is not a Messaging Service of this Twilio account`
        : describeFailure(error);
    return [{ name: "messaging-service", ok: false, detail }];
  }
  const label = `Messaging Service ${service.sid}${service.friendlyName ? ` "${service.friendlyName}"` : ""}`;
  const checks: ProbeCheck[] = [{ name: "messaging-service", ok: true, detail: `${label} belongs to this account` }];
  if (service.useInboundWebhookOnNumber) {
    checks.push({
      name: "webhook-url",
      ok: true,
      detail:
        `${label} uses each number's own webhook ("Defer to sender's webhook"): in the Twilio console ` +
        `(Phone Numbers > Active numbers > <number> > Messaging), point "A message comes in" of every number in ` +
        `the service at ${webhookUrl} (POST), or run smsctl webhook set`,
    });
    return checks;
  }
  const serviceName = service.friendlyName || service.sid;
  const where = `fix it with smsctl webhook set, or in the Twilio console: Messaging > Services > ${serviceName} > Integration`;
  checks.push(
    sameWebhook(service.inboundRequestUrl, webhookUrl)
      ? { name: "webhook-url", ok: true, detail: `${label} sends incoming messages to ${webhookUrl}` }
      : {
          name: "webhook-url",
          ok: false,
          detail:
            `${label} sends incoming messages to ` +
            `${service.inboundRequestUrl === null ? "no webhook (request URL not set)" : service.inboundRequestUrl}; ` +
            `expected exactly ${webhookUrl}; ${where}`,
        },
  );
  checks.push(methodCheck(service.inboundMethod, `; ${where}`));
  return checks;
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

function senderNumberCheck(fromNumber: string, found: TwilioIncomingNumber | null): ProbeCheck {
  if (found === null) {
    return { name: "sender-number", ok: false, detail: `${fromNumber} is not a phone number of this Twilio account` };
  }
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
  let hostname = "";
  try {
    hostname = new URL(webhookUrl).hostname;
  } catch {
    return { name: "webhook-public", ok: false, detail: `webhook URL ${webhookUrl} is not a valid URL` };
  }
  return isLoopbackHost(hostname)
    ? {
        name: "webhook-public",
        ok: false,
        detail: `Twilio cannot call ${webhookUrl}; set publicWebhookUrl to a public https URL (e.g. a tunnel)`,
      }
    : { name: "webhook-public", ok: true, detail: `webhook URL is ${webhookUrl}` };
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
