import { stripFragment } from "../config/webhook-url.ts";

/**
 * The URL Twilio signed: the configured public URL, or the stage URL, with the request's query string.
 * A configured URL that carries its own query string is used byte-for-byte, since that is what Twilio calls.
 */
export function signedWebhookUrl(configuredUrl: string, requestQuery: string): string {
  const base = stripFragment(configuredUrl);
  if (base.includes("?") || requestQuery === "") return base;
  return `${base}?${requestQuery}`;
}
