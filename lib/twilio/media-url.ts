/** api.twilio.com, or a regional host such as api.dublin.ie1.twilio.com: where Twilio's Media resources live. */
export const TWILIO_API_HOST = /^api(?:\.[a-z0-9-]+\.[a-z0-9-]+)?\.twilio\.com$/;
const MEDIA_PATH =
  /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\/((?:SM|MM)[0-9a-fA-F]{32})\/Media\/ME[0-9a-fA-F]{32}$/;

/** The account and message a Media resource URL belongs to, if it is one: https, a Twilio API host, nothing else. */
export function twilioMediaOwner(value: string | URL): { accountSid: string; messageSid: string } | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const plain = url.username === "" && url.password === "" && url.port === "" && url.search === "" && url.hash === "";
  if (url.protocol !== "https:" || !TWILIO_API_HOST.test(url.hostname) || !plain) return null;
  const match = MEDIA_PATH.exec(url.pathname);
  return match?.[1] && match[2] ? { accountSid: match[1], messageSid: match[2] } : null;
}
