import type { TwilioIncomingNumber, TwilioMessagingService, TwilioRestClient } from "../../lib/twilio/rest-client.ts";

/**
 * A Twilio client for unit tests: the given methods, and every other one rejects, so a test fails loudly when the
 * code under test calls Twilio where it should not.
 */
export function twilioClientWith(methods: Partial<TwilioRestClient> = {}): TwilioRestClient {
  const unused = (name: string) => () => Promise.reject(new Error(`Twilio ${name} must not be called here`));
  return {
    sendMessage: unused("sendMessage"),
    listMessages: unused("listMessages"),
    fetchAccount: unused("fetchAccount"),
    findIncomingNumber: unused("findIncomingNumber"),
    fetchMessagingService: unused("fetchMessagingService"),
    updateIncomingNumberWebhook: unused("updateIncomingNumberWebhook"),
    updateMessagingServiceWebhook: unused("updateMessagingServiceWebhook"),
    listMessagingServiceNumbers: unused("listMessagingServiceNumbers"),
    ...methods,
  };
}

/** A number as findIncomingNumber answers it: SMS-capable, its sid from its last digits, no webhook and no app. */
export function incomingNumber(phone: string, overrides: Partial<TwilioIncomingNumber> = {}): TwilioIncomingNumber {
  return {
    sid: `PN${phone.slice(-4).padStart(32, "0")}`,
    phoneNumber: phone,
    smsUrl: null,
    smsMethod: "POST",
    smsApplicationSid: null,
    capabilities: { sms: true, mms: true },
    ...overrides,
  };
}

/** A Messaging Service as fetchMessagingService answers it: "Agent SMS", its own request URL unset, not deferring. */
export function messagingService(sid: string, overrides: Partial<TwilioMessagingService> = {}): TwilioMessagingService {
  return {
    sid,
    friendlyName: "Agent SMS",
    inboundRequestUrl: null,
    inboundMethod: "POST",
    useInboundWebhookOnNumber: false,
    ...overrides,
  };
}
