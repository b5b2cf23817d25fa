/**
 * Where Twilio sends an account's incoming SMS, read from Twilio: the settings `webhook set` changes and
 * `status --probe` checks, found the same way for both.
 */
import type { RuntimeAccount } from "../config/types.ts";
import { TwilioApiError } from "../twilio/api-errors.ts";
import type { TwilioIncomingNumber, TwilioMessagingService, TwilioRestClient } from "../twilio/rest-client.ts";

/** The probe check a failed lookup fails. */
export type SenderCheckName = "sender" | "sender-number" | "messaging-service";

/**
 * A sender that could not be read: Twilio said there is no such sender (`failure` undefined, `message` says which),
 * or the call failed (`failure` is Twilio's error).
 */
export class SenderLookupError extends Error {
  override name = "SenderLookupError";

  constructor(
    readonly check: SenderCheckName,
    message: string,
    readonly failure?: unknown,
  ) {
    super(message);
  }
}

export interface InboundSenders {
  /** The configured fromNumber as Twilio has it. */
  fromNumber: TwilioIncomingNumber | null;
  /** The configured Messaging Service. */
  service: TwilioMessagingService | null;
  /** When the service defers to its numbers' own webhooks ("Defer to sender's webhook"): each of its numbers. */
  serviceNumbers: TwilioIncomingNumber[];
  /**
   * fromNumber when its own webhook is the one called: there is no service, or the number is not one of the
   * service's (a number in a service that does not defer uses the service's inbound URL instead).
   */
  ownNumber: TwilioIncomingNumber | null;
}

/** Reads the account's sender(s); a sender Twilio does not have, or a failed call, is a SenderLookupError. */
export async function readInboundSenders(account: RuntimeAccount, client: TwilioRestClient): Promise<InboundSenders> {
  const { fromNumber: configuredNumber, messagingServiceSid } = account;
  if (configuredNumber === undefined && messagingServiceSid === undefined) {
    throw new SenderLookupError("sender", `account "${account.id}" has neither fromNumber nor messagingServiceSid`);
  }
  const fromNumber =
    configuredNumber === undefined ? null : await findNumber(configuredNumber, client, "sender-number", "");
  if (messagingServiceSid === undefined)
    return { fromNumber, service: null, serviceNumbers: [], ownNumber: fromNumber };

  const service = await lookUp("messaging-service", () => client.fetchMessagingService(messagingServiceSid), {
    notFound: `${messagingServiceSid} is not a Messaging Service of this Twilio account`,
  });
  const defers = service.useInboundWebhookOnNumber;
  // The service's numbers matter when it defers to them, and to tell whether fromNumber is one of them.
  const phones =
    defers || fromNumber !== null
      ? await lookUp("messaging-service", () => client.listMessagingServiceNumbers(service.sid))
      : [];
  if (defers && phones.length === 0) {
    throw new SenderLookupError(
      "messaging-service",
      `Messaging Service ${service.sid} defers to its numbers' webhooks but has no phone numbers`,
    );
  }
  const serviceNumbers: TwilioIncomingNumber[] = [];
  if (defers) {
    for (const phone of phones) {
      serviceNumbers.push(
        phone === fromNumber?.phoneNumber
          ? fromNumber
          : await findNumber(phone, client, "messaging-service", ` (in Messaging Service ${service.sid})`),
      );
    }
  }
  const ownNumber = fromNumber !== null && !phones.includes(fromNumber.phoneNumber) ? fromNumber : null;
  return { fromNumber, service, serviceNumbers, ownNumber };
}

async function findNumber(
  phone: string,
  client: TwilioRestClient,
  check: SenderCheckName,
  where: string,
): Promise<TwilioIncomingNumber> {
  const found = await lookUp(check, () => client.findIncomingNumber(phone));
  if (found === null)
    throw new SenderLookupError(check, `${phone}${where} is not a phone number of this Twilio account`);
  return found;
}

/** One Twilio read, its failure tagged with the check it fails; a 404 is `notFound` when one is given. */
async function lookUp<T>(check: SenderCheckName, call: () => Promise<T>, options: { notFound?: string } = {}) {
  try {
    return await call();
  } catch (error) {
    if (options.notFound !== undefined && error instanceof TwilioApiError && error.httpStatus === 404) {
      throw new SenderLookupError(check, options.notFound);
    }
    throw new SenderLookupError(check, error instanceof Error ? error.message : String(error), error);
  }
}
