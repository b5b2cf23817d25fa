import { describe, expect, it } from "vitest";
import { mediaRedirectTarget, twilioMediaRequestUrl } from "../../../lib/agent/twilio-media-url.ts";

const ACCOUNT_SID = `AC${"a".repeat(32)}`;
const PATH = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/MM${"b".repeat(32)}/Media/ME${"c".repeat(32)}`;
const MEDIA_URL = `https://api.twilio.com${PATH}`;

describe("twilioMediaRequestUrl", () => {
  it.each([
    MEDIA_URL,
    `https://api.dublin.ie1.twilio.com${PATH}`,
    `https://api.sydney.au1.twilio.com${PATH.replace("/MM", "/SM")}`,
  ])("accepts a Media URL of the account on a Twilio API host: %s", (url) => {
    expect(twilioMediaRequestUrl(url, ACCOUNT_SID)?.href).toBe(url);
  });

  it("sends the path to TWILIO_API_BASE_URL when set, keeping a base path and dropping a trailing slash", () => {
    expect(twilioMediaRequestUrl(MEDIA_URL, ACCOUNT_SID, "http://127.0.0.1:4010/")?.href).toBe(
      `http://127.0.0.1:4010${PATH}`,
    );
    expect(twilioMediaRequestUrl(MEDIA_URL, ACCOUNT_SID, "https://proxy.example/twilio")?.href).toBe(
      `https://proxy.example/twilio${PATH}`,
    );
  });

  it.each([
    ["plain http", `http://api.twilio.com${PATH}`],
    ["another host", `https://evil.example${PATH}`],
    ["a look-alike host", `https://api.twilio.com.evil.example${PATH}`],
    ["a Twilio host that is not the API", `https://media.twiliocdn.com${PATH}`],
    ["a deeper subdomain", `https://x.api.dublin.ie1.twilio.com${PATH}`],
    ["credentials in the URL", `https://user:pass@api.twilio.com${PATH}`],
    ["another port", `https://api.twilio.com:8443${PATH}`],
    ["a query", `${MEDIA_URL}?x=1`],
    ["a fragment", `${MEDIA_URL}#x`],
    ["another account", MEDIA_URL.replace(ACCOUNT_SID, `AC${"d".repeat(32)}`)],
    ["the JSON resource", `${MEDIA_URL}.json`],
    ["another resource", `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`],
    ["a path that climbs out of Media", `${MEDIA_URL}/../../../../Calls`],
    ["not a URL", "api.twilio.com/media"],
    ["a data URL", "data:image/png;base64,AAAA"],
  ])("refuses %s", (_name, url) => {
    expect(twilioMediaRequestUrl(url, ACCOUNT_SID)).toBeNull();
    // A base URL never makes a refused URL acceptable.
    expect(twilioMediaRequestUrl(url, ACCOUNT_SID, "http://127.0.0.1:4010")).toBeNull();
  });
});

describe("mediaRedirectTarget", () => {
  const api = new URL(MEDIA_URL);
  const standIn = new URL(`http://127.0.0.1:4010${PATH}`);

  it.each([
    ["Twilio's CDN", api, "https://mms.twiliocdn.com/AC/abc?Expires=1", "https://mms.twiliocdn.com/AC/abc?Expires=1"],
    ["S3", api, "https://s3-external-1.amazonaws.com/media.twiliocdn.com/x", undefined],
    ["a relative path", api, "/storage/x", "https://api.twilio.com/storage/x"],
    ["the same plain-http origin (a stand-in)", standIn, "/media-storage/x", "http://127.0.0.1:4010/media-storage/x"],
  ])("follows a redirect to %s", (_name, from, location, expected) => {
    expect(mediaRedirectTarget(location, from)?.href).toBe(expected ?? location);
  });

  it.each([
    ["no Location", api, null],
    ["an empty Location", api, ""],
    ["a downgrade to plain http", api, "http://mms.twiliocdn.com/x"],
    ["plain http on another origin", standIn, "http://127.0.0.1:4011/x"],
    ["credentials in the URL", api, "https://user:pass@mms.twiliocdn.com/x"],
    ["a file URL", api, "file:///etc/passwd"],
    ["a malformed URL", api, "https://[bad"],
  ])("refuses %s", (_name, from, location) => {
    expect(mediaRedirectTarget(location, from)).toBeNull();
  });
});
