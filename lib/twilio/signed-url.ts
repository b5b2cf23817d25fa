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

/**
 * Every URL Twilio may have signed for this request, most likely first. API Gateway's REST events carry the query
 * string decoded, so it is rebuilt; a configured URL with its own query string is the exact answer.
 */
export function signedUrlCandidates(
  configuredUrl: string,
  query: Readonly<Record<string, readonly string[] | undefined>> | null,
): string[] {
  const parts: string[] = [];
  for (const [key, values] of Object.entries(query ?? {})) {
    for (const value of values ?? []) parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  }
  return [signedWebhookUrl(configuredUrl, parts.join("&"))];
}
