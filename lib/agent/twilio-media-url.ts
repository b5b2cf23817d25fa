import { twilioMediaOwner } from "../twilio/media-url.ts";

/**
 * Which URLs the media fetcher may call. The account's credentials go only to a Twilio API host, and only for a Media
 * resource of that account: a turn's media URL is data that crossed the network, so it is checked again here although
 * the webhook already accepts nothing else (defence in depth against sending the token, or a request, elsewhere).
 */

/**
 * The URL to request with credentials, or null to refuse: https, a Twilio API host on the default port, no user info,
 * query or fragment, and the path of a Media instance of `accountSid`. With `baseUrl` (TWILIO_API_BASE_URL) the path
 * goes to that base instead, as every other Twilio REST call does.
 */
export function twilioMediaRequestUrl(mediaUrl: string, accountSid: string, baseUrl?: string): URL | null {
  if (twilioMediaOwner(mediaUrl)?.accountSid !== accountSid) return null;
  const url = new URL(mediaUrl);
  return baseUrl ? new URL(`${baseUrl.replace(/\/+$/, "")}${url.pathname}`) : url;
}

/**
 * Where a redirect from `from` may lead (fetched without credentials), or null: https anywhere, since Twilio's
 * storage is its CDN or S3 (https://support.twilio.com/hc/en-us/articles/223183748); plain http only on the same
 * origin (a stand-in or proxy under TWILIO_API_BASE_URL), never a downgrade to another host.
 */
export function mediaRedirectTarget(location: string | null, from: URL): URL | null {
  if (!location) return null;
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    return null;
  }
  if (target.username !== "" || target.password !== "") return null;
  return target.protocol === "https:" || target.origin === from.origin ? target : null;
}
