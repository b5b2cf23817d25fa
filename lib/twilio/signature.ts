import webhooks from "twilio/lib/webhooks/webhooks.js";

export type FormParams = Record<string, string | string[]>;

/**
 * True when `signature` is Twilio's HMAC-SHA1 of exactly `url` plus the sorted form params. Twilio's own
 * validator tries the URL as received with and without the default port before any normalised form, and compares
 * in constant time; we only choose which URL to hand it.
 */
export function isValidTwilioSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: FormParams,
): boolean {
  if (!signature || !authToken) return false;
  try {
    return webhooks.validateRequest(authToken, signature, url, params);
  } catch {
    // A URL Node cannot parse cannot have been signed by Twilio.
    return false;
  }
}

/** What Twilio would send in X-Twilio-Signature; used by the local simulator and the tests. */
export function twilioSignature(authToken: string, url: string, params: FormParams): string {
  return webhooks.getExpectedTwilioSignature(authToken, url, params);
}
