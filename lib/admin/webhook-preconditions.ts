/**
 * Why Twilio must not be pointed at an account's webhook: `webhook set` refuses (409) and `status --probe` fails a
 * check with the same words. Each returns the problem, or null when there is none.
 */
import type { RuntimeAccount } from "../config/types.ts";
import { isLoopbackHost } from "../config/webhook-url.ts";

/** A URL on 127.0.0.1 (or no URL at all): pointing a real number there cuts it off from the running channel. */
export function unreachableWebhook(webhookUrl: string): string | null {
  if (!URL.canParse(webhookUrl)) return `webhook URL ${webhookUrl} is not a valid URL`;
  if (!isLoopbackHost(new URL(webhookUrl).hostname)) return null;
  return `Twilio cannot reach ${webhookUrl}; set publicWebhookUrl to a public https URL (e.g. a tunnel)`;
}

/** A disabled account's webhook path answers 404: every inbound SMS sent there fails with Twilio error 11200. */
export function disabledAccount(account: RuntimeAccount): string | null {
  if (account.enabled) return null;
  return (
    `account "${account.id}" is disabled (enabled: false): its webhook answers 404, so every inbound SMS Twilio ` +
    "sends there fails with error 11200; enable the account before pointing Twilio at it"
  );
}
