/**
 * Downloads an inbound MMS's media from Twilio with the account's credentials (Twilio enforces HTTP Basic auth on
 * media URLs: https://www.twilio.com/docs/messaging/api/media-resource). Twilio answers with a redirect to a signed,
 * short-lived storage URL; that hop is made by hand (`redirect: "manual"`) and without the Authorization header, so the
 * token goes to the Twilio API host and nowhere else. Node's fetch would drop the header itself on a cross-origin
 * redirect but keep it on a same-origin one; doing it here holds whatever the fetch implementation does.
 */
import { readMediaBody } from "./media-body-reader.ts";
import type { FetchedMedia, MediaFetcher } from "./media-fetch.ts";
import { mediaRedirectTarget, twilioMediaRequestUrl } from "./twilio-media-url.ts";

export interface TwilioMediaFetcherOptions {
  accountSid: string;
  /** Read for each download, so a rotated token is picked up; the caller caches it (Secrets Manager on AWS). */
  authToken: () => Promise<string>;
  /** TWILIO_API_BASE_URL: media URLs then go to this base (a stand-in or proxy), as every Twilio REST call does. */
  baseUrl?: string;
  /** For the whole download: the API request, the redirect and the body. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export const DEFAULT_MEDIA_TIMEOUT_MS = 10_000;
/** Twilio redirects once; a few more hops are tolerated, a loop is not. */
const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export function createTwilioMediaFetcher(options: TwilioMediaFetcherOptions): MediaFetcher {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_MEDIA_TIMEOUT_MS;

  return async (mediaUrl, { maxBytes }): Promise<FetchedMedia> => {
    const url = twilioMediaRequestUrl(mediaUrl, options.accountSid, options.baseUrl);
    if (!url) return { kind: "failed", reason: "refused" };
    let token: string;
    try {
      token = await options.authToken();
    } catch {
      return { kind: "failed", reason: "credentials" };
    }
    const signal = AbortSignal.timeout(timeoutMs);
    const authorization = `Basic ${Buffer.from(`${options.accountSid}:${token}`, "utf8").toString("base64")}`;

    try {
      let at = url;
      let response = await fetchImpl(at, { headers: { authorization }, redirect: "manual", signal });
      for (let hops = 0; REDIRECT_STATUSES.has(response.status); hops++) {
        await response.body?.cancel();
        const target = hops < MAX_REDIRECTS ? mediaRedirectTarget(response.headers.get("location"), at) : null;
        if (!target) return { kind: "failed", reason: "redirect" };
        at = target;
        // No credentials past the first request: the storage URL is signed, and may be any host.
        response = await fetchImpl(at, { redirect: "manual", signal });
      }
      if (!response.ok) {
        await response.body?.cancel();
        return { kind: "http-error", status: response.status };
      }
      return await readMediaBody(response, maxBytes);
    } catch (error) {
      // Only a fixed label leaves: an error's text could hold a URL or, from some fetch implementation, a header.
      return { kind: "failed", reason: isAbort(error) ? "timeout" : "network" };
    }
  };
}

function isAbort(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === "TimeoutError" || name === "AbortError";
}
