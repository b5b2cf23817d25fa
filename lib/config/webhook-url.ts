const LOOPBACK_HOSTS = new Set(["localhost", "[::1]", "::1"]);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Twilio only calls https webhooks in production; plain http is accepted for loopback hosts so a developer can sign
 * requests against the local gateway. Returns an error message, or null when the URL is acceptable.
 */
export function checkPublicWebhookUrl(value: string): string | null {
  return checkHttpsUrl(value, "https://gateway.example.com/webhooks/sms");
}

/** An https URL, or plain http to a loopback host (a local tunnel, Ollama on this machine); `example` shows one. */
export function checkHttpsUrl(value: string, example: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `expected an absolute URL such as ${example}`;
  }
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return null;
  return "expected an https URL (plain http is allowed only for loopback hosts such as 127.0.0.1)";
}

/** Twilio never sends the fragment (it carries connection overrides such as #rc=2), so it is not signed. */
export function stripFragment(url: string): string {
  const hash = url.indexOf("#");
  return hash === -1 ? url : url.slice(0, hash);
}
