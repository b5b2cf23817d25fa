import { describe, expect, it } from "vitest";
import { parseForm } from "../../../lib/http/api-gateway-event.ts";
import { isValidTwilioSignature, twilioSignature } from "../../../lib/twilio/signature.ts";
import { signedUrlCandidates, signedWebhookUrl } from "../../../lib/twilio/signed-url.ts";

// Twilio's published example (twilio-node's own test vector).
const TOKEN = "12345";
const URL_SIGNED = "https://mycompany.com/myapp.php?foo=1&bar=2";
const PARAMS = {
  CallSid: "CA1234567890ABCDE",
  Caller: "+14158675309",
  Digits: "1234",
  From: "+14158675309",
  To: "+18005551212",
};
const SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

describe("Twilio signature", () => {
  it("accepts Twilio's published vector", () => {
    expect(twilioSignature(TOKEN, URL_SIGNED, PARAMS)).toBe(SIGNATURE);
    expect(isValidTwilioSignature(TOKEN, SIGNATURE, URL_SIGNED, PARAMS)).toBe(true);
  });

  it.each([
    ["another token", { token: "54321" }],
    ["a changed param value", { params: { ...PARAMS, Digits: "1235" } }],
    ["an added param", { params: { ...PARAMS, Extra: "x" } }],
    [
      "a removed param",
      { params: { CallSid: PARAMS.CallSid, Caller: PARAMS.Caller, Digits: "1234", From: PARAMS.From } },
    ],
    ["another query string", { url: "https://mycompany.com/myapp.php?foo=1&bar=3" }],
    ["reordered query string", { url: "https://mycompany.com/myapp.php?bar=2&foo=1" }],
    ["another path", { url: "https://mycompany.com/other.php?foo=1&bar=2" }],
    ["http instead of https", { url: "http://mycompany.com/myapp.php?foo=1&bar=2" }],
    ["another host", { url: "https://evil.example/myapp.php?foo=1&bar=2" }],
    ["a missing signature", { signature: "" }],
    ["a mangled signature", { signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8" }],
    ["a flipped character", { signature: "RSOYDt4T1cUTdK1PDd93/VVr8B9=" }],
    ["a lower-cased signature", { signature: SIGNATURE.toLowerCase() }],
  ])(
    "rejects %s",
    (_, change: { token?: string; url?: string; params?: Record<string, string>; signature?: string }) => {
      expect(
        isValidTwilioSignature(
          change.token ?? TOKEN,
          change.signature ?? SIGNATURE,
          change.url ?? URL_SIGNED,
          change.params ?? PARAMS,
        ),
      ).toBe(false);
    },
  );

  it("accepts the URL with or without the default port, as Twilio may sign either", () => {
    expect(isValidTwilioSignature(TOKEN, SIGNATURE, "https://mycompany.com:443/myapp.php?foo=1&bar=2", PARAMS)).toBe(
      true,
    );
  });

  it("keeps blank values: they are part of what Twilio signs", () => {
    const params = parseForm("Body=&From=%2B15557654321&To=%2B15551234567");
    expect(params.Body).toBe("");
    const signature = twilioSignature(TOKEN, "https://x.example/webhooks/sms", params);
    const { Body: _dropped, ...withoutBody } = params;
    expect(isValidTwilioSignature(TOKEN, signature, "https://x.example/webhooks/sms", params)).toBe(true);
    expect(isValidTwilioSignature(TOKEN, signature, "https://x.example/webhooks/sms", withoutBody)).toBe(false);
  });

  it("signs repeated form keys the way Twilio does", () => {
    const params = parseForm("MediaUrl=b&MediaUrl=a&To=%2B1555");
    expect(params.MediaUrl).toEqual(["b", "a"]);
    const signature = twilioSignature(TOKEN, "https://x.example/h", params);
    expect(isValidTwilioSignature(TOKEN, signature, "https://x.example/h", params)).toBe(true);
  });
});

describe("signed URL", () => {
  it("appends the request's query string to the stage URL", () => {
    expect(signedWebhookUrl("https://api.example/prod/webhooks/sms", "foo=1&bar=2")).toBe(
      "https://api.example/prod/webhooks/sms?foo=1&bar=2",
    );
  });

  it("strips the fragment, which Twilio never sends nor signs", () => {
    expect(signedWebhookUrl("https://gw.example/webhooks/sms#rc=2&rp=all", "")).toBe("https://gw.example/webhooks/sms");
  });

  it("uses a configured URL with its own query string byte-for-byte", () => {
    expect(signedWebhookUrl("https://gw.example/sms?k=a%20b&x=", "k=a+b&x=")).toBe("https://gw.example/sms?k=a%20b&x=");
  });

  it("rebuilds the query string of a REST API event", () => {
    expect(signedUrlCandidates("https://x.example/h", { foo: ["1"], bar: ["2"] })).toContain(
      "https://x.example/h?foo=1&bar=2",
    );
    expect(signedUrlCandidates("https://x.example/h", null)).toEqual(["https://x.example/h"]);
  });
});
