import type { ResolvedAccount } from "../../lib/config/types.ts";
import { configuredWebhookUrl } from "../../lib/inbound/webhook-routing.ts";
import type { StandInMessagingService, StandInPhoneNumber } from "./twilio-stand-in-senders.ts";

/**
 * The senders the local Twilio stand-in owns: each account's number or Messaging Service, already pointed at the
 * account's webhook with POST, as a set-up Twilio account would be. So `status --probe` and `webhook set --dry-run`
 * against the stand-in describe the channel's own senders instead of "not a number of this account".
 */
export function standInSenders(
  accounts: readonly ResolvedAccount[],
  gatewayBaseUrl: string,
): { phoneNumbers: StandInPhoneNumber[]; messagingServices: StandInMessagingService[] } {
  const phoneNumbers: StandInPhoneNumber[] = [];
  const messagingServices: StandInMessagingService[] = [];
  for (const account of accounts) {
    const url = configuredWebhookUrl(account, gatewayBaseUrl);
    if (account.fromNumber !== undefined && !phoneNumbers.some((n) => n.phoneNumber === account.fromNumber)) {
      phoneNumbers.push({
        accountSid: account.accountSid,
        phoneNumber: account.fromNumber,
        smsUrl: url,
        smsMethod: "POST",
      });
    }
    if (account.messagingServiceSid !== undefined) {
      messagingServices.push({
        accountSid: account.accountSid,
        sid: account.messagingServiceSid,
        friendlyName: `sms-channel ${account.id}`,
        inboundRequestUrl: url,
        inboundMethod: "POST",
        ...(account.fromNumber !== undefined ? { phoneNumbers: [account.fromNumber] } : {}),
      });
    }
  }
  return { phoneNumbers, messagingServices };
}
