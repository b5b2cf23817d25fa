import { maskPhone } from "../access/phone.ts";
import type { RuntimeAccount } from "../config/types.ts";
import type { TwilioMessage, TwilioRestClient } from "../twilio/rest-client.ts";
import type { ProbeCheck } from "./probe.ts";

/** How many of the newest messages each way the probe reads: one page, enough to see a pattern. */
export const RECENT_MESSAGES = 20;
/** Twilio accepted an inbound SMS but could not reach (or got no good answer from) the webhook. */
export const WEBHOOK_UNREACHABLE = 11200;
const SHOWN_FAILURES = 3;

/** The seed's checklist for 11200, in one line. */
const HINT_11200 =
  'check that the sender\'s "A message comes in" is the webhook URL above with POST (`smsctl webhook set`), ' +
  "that the tunnel or proxy exposes the exact webhookPath, and that publicWebhookUrl has the scheme, host, path " +
  "and query Twilio uses";

/**
 * What Twilio's message log says about the sender: inbound messages that failed with 11200, and how recent outbound
 * messages fared. History cannot say whether a fix since then worked, so both only warn: `status --probe` still
 * passes once the webhook checks do.
 */
export async function recentMessageChecks(account: RuntimeAccount, client: TwilioRestClient): Promise<ProbeCheck[]> {
  const { inbound, outbound } = await recentMessages(account, client);
  return [inboundCheck(inbound), outboundCheck(outbound)];
}

async function recentMessages(
  account: RuntimeAccount,
  client: TwilioRestClient,
): Promise<{ inbound: TwilioMessage[]; outbound: TwilioMessage[] }> {
  const isInbound = (message: TwilioMessage) => message.direction === "inbound";
  if (account.fromNumber !== undefined) {
    const [to, from] = await Promise.all([
      client.listMessages({ to: account.fromNumber, pageSize: RECENT_MESSAGES }),
      client.listMessages({ from: account.fromNumber, pageSize: RECENT_MESSAGES }),
    ]);
    return { inbound: to.filter(isInbound), outbound: from.filter((message) => !isInbound(message)) };
  }
  // A service's messages have no one number to filter by: read a wider page and keep the service's own.
  const serviceSid = account.messagingServiceSid;
  const listed = await client.listMessages({ pageSize: RECENT_MESSAGES * 5 });
  const own = listed.filter((message) => message.messagingServiceSid === serviceSid);
  return {
    inbound: own.filter(isInbound).slice(0, RECENT_MESSAGES),
    outbound: own.filter((message) => !isInbound(message)).slice(0, RECENT_MESSAGES),
  };
}

function inboundCheck(inbound: TwilioMessage[]): ProbeCheck {
  if (inbound.length === 0) return { name: "recent-inbound", ok: true, detail: "no inbound messages yet" };
  const failed = inbound.filter((message) => message.errorCode === WEBHOOK_UNREACHABLE);
  if (failed.length === 0) {
    return { name: "recent-inbound", ok: true, detail: `no 11200 errors in the last ${inbound.length} inbound` };
  }
  const shown = failed
    .slice(0, SHOWN_FAILURES)
    .map((message) => `${maskPhone(message.from ?? "")} at ${message.dateCreated ?? "?"}`);
  const more = failed.length > SHOWN_FAILURES ? `, and ${failed.length - SHOWN_FAILURES} more` : "";
  return {
    name: "recent-inbound",
    ok: true,
    warning: true,
    detail:
      `${failed.length} of the last ${inbound.length} inbound messages failed with 11200 (Twilio could not ` +
      `reach the webhook): ${shown.join("; ")}${more}; ${HINT_11200}`,
  };
}

function outboundCheck(outbound: TwilioMessage[]): ProbeCheck {
  if (outbound.length === 0) return { name: "recent-outbound", ok: true, detail: "no outbound messages yet" };
  const byStatus = countBy(outbound, (message) => message.status);
  const errors = countBy(
    outbound.filter((message) => message.errorCode !== null),
    (message) => String(message.errorCode),
  );
  const failed = (byStatus.get("failed") ?? 0) + (byStatus.get("undelivered") ?? 0);
  const errorList = [...errors].map(([code, count]) => `${code} ×${count}`).join(", ");
  const errorText = errors.size === 0 ? "" : `; errors ${errorList} (see twilio.com/docs/errors/<code>)`;
  return {
    name: "recent-outbound",
    ok: true,
    ...(failed > 0 ? { warning: true } : {}),
    detail: `last ${outbound.length} outbound: ${describeCounts(byStatus)}${errorText}`,
  };
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** Most frequent first: "15 delivered, 3 sent, 2 undelivered". */
function describeCounts(counts: Map<string, number>): string {
  return [...counts]
    .sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b))
    .map(([name, count]) => `${count} ${name}`)
    .join(", ");
}
