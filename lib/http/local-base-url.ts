/** Hosts that mean "every interface" when listening: no caller uses them as an address. */
const WILDCARD_HOSTS = new Set(["0.0.0.0", "::", "[::]"]);

/**
 * The base URL of the gateway as this machine calls it, which is the URL the webhook signature is checked against
 * and the one `smsctl simulate` signs: a gateway listening on every interface (HOST=0.0.0.0) is called at 127.0.0.1.
 * Callers on other hosts sign other URLs; they need publicWebhookUrl, as a tunnel does.
 */
export function localBaseUrl(host: string, port: number): string {
  const address = WILDCARD_HOSTS.has(host) ? "127.0.0.1" : host;
  return `http://${address.includes(":") && !address.startsWith("[") ? `[${address}]` : address}:${port}`;
}
