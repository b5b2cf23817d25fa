import type { TwilioRestClient } from "../../lib/twilio/rest-client.ts";

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
