import { numberOf, parseSenderAddress } from "../access/address.ts";
import type { RuntimeAccount } from "../config/types.ts";

/** Who sends a reply and to which address: Twilio's To, and From or MessagingServiceSid. */
export interface MessageRoute {
  to: string;
  from?: string;
  messagingServiceSid?: string;
}

/**
 * SMS go from `fromNumber` when set, else through the Messaging Service. A reply to an RCS user (`rcs:+E164`) goes
 * back over RCS through the Messaging Service, the only way Twilio sends RCS besides naming the RCS sender itself;
 * an account with only a phone number answers the same person by SMS instead, which always arrives.
 */
export function messageRoute(account: RuntimeAccount, recipient: string): MessageRoute {
  const rcs = parseSenderAddress(recipient)?.channel === "rcs";
  if (rcs && account.messagingServiceSid) return { to: recipient, messagingServiceSid: account.messagingServiceSid };
  const to = rcs ? numberOf(recipient) : recipient;
  return account.fromNumber
    ? { to, from: account.fromNumber }
    : { to, messagingServiceSid: account.messagingServiceSid ?? "" };
}
