import { twilioSignature } from "../../../lib/twilio/signature.ts";

/** Form fields grouped the way Twilio signs them (repeats kept together), with no prototype to collide with. */
export function formParams(body: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(body)) {
    const existing = params[key];
    params[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return params;
}

/** Signs as Twilio would for a POST to `webhookUrl` (plus the raw query, if any) with this body. */
export function webhookSigner(authToken: string, webhookUrl: string): (query: string, body: string) => string {
  return (query, body) =>
    twilioSignature(authToken, query === "" ? webhookUrl : `${webhookUrl}?${query}`, formParams(body));
}
