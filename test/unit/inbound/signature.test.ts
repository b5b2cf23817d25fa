import { describe, expect, it } from "vitest";
import { WebhookForm } from "../../../lib/inbound/webhook-form.ts";
import { isValidTwilioSignature, twilioSignature } from "../../../lib/twilio/signature.ts";
import { signedUrlCandidates } from "../../../lib/twilio/signed-url.ts";

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
    const params = WebhookForm.parse("Body=&From=%2B15557654321&To=%2B15551234567").signedParams();
    expect(params.Body).toBe("");
    const signature = twilioSignature(TOKEN, "https://x.example/webhooks/sms", params);
    const { Body: _dropped, ...withoutBody } = params;
    expect(isValidTwilioSignature(TOKEN, signature, "https://x.example/webhooks/sms", params)).toBe(true);
    expect(isValidTwilioSignature(TOKEN, signature, "https://x.example/webhooks/sms", withoutBody)).toBe(false);
  });

  it("signs repeated form keys the way Twilio does", () => {
    const params = WebhookForm.parse("MediaUrl=b&MediaUrl=a&To=%2B1555").signedParams();
    expect(params.MediaUrl).toEqual(["b", "a"]);
    const signature = twilioSignature(TOKEN, "https://x.example/h", params);
    expect(isValidTwilioSignature(TOKEN, signature, "https://x.example/h", params)).toBe(true);
  });
});

describe("signed URL", () => {
  it("appends the request's query string to the stage URL", () => {
    expect(signedUrlCandidates("https://api.example/prod/webhooks/sms", { foo: ["1"], bar: ["2"] })[0]).toBe(
      "https://api.example/prod/webhooks/sms?foo=1&bar=2",
    );
  });

  it("strips the fragment, which Twilio never sends nor signs", () => {
    expect(signedUrlCandidates("https://gw.example/webhooks/sms#rc=2&rp=all", null)).toEqual([
      "https://gw.example/webhooks/sms",
    ]);
  });

  it("uses a configured URL with its own query string byte-for-byte", () => {
    expect(signedUrlCandidates("https://gw.example/sms?k=a%20b&x=", { k: ["a b"], x: [""] })).toEqual([
      "https://gw.example/sms?k=a%20b&x=",
    ]);
  });

  it("rebuilds the query string of a REST API event", () => {
    expect(signedUrlCandidates("https://x.example/h", { foo: ["1"], bar: ["2"] })).toEqual([
      "https://x.example/h?foo=1&bar=2",
    ]);
    expect(signedUrlCandidates("https://x.example/h", null)).toEqual(["https://x.example/h"]);
    expect(signedUrlCandidates("https://x.example/h#rc=2", {})).toEqual(["https://x.example/h"]);
  });
});

/** The grouped, decoded query API Gateway's REST API hands the function (it decodes `+` to a space, as WHATWG does). */
function decodedQuery(query: string): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(query)) grouped[key] = [...(grouped[key] ?? []), value];
  return grouped;
}

describe("signed URL candidates", () => {
  const BASE = "https://x.example/webhooks/sms";

  it.each([
    ["a path in a value, written raw", "next=/x/y"],
    ["a path in a value, encoded", "next=%2Fx%2Fy"],
    ["a timestamp with raw colons", "t=2026-01-01T00:00:00Z"],
    ["a timestamp with encoded colons", "t=2026-01-01T00%3A00%3A00Z"],
    ["a bare key", "flag"],
    ["an empty value", "flag="],
    ["a raw comma", "q=a,b"],
    ["a space written as +", "x=a+b"],
    ["a space written as %20", "x=a%20b"],
    ["a literal plus", "p=%2B15551234567"],
    ["repeated keys, grouped", "a=1&a=3"],
    ["sub-delims and @ left raw", "e=me@x.example&s=a;b!c$d'e(f)*g~h.i?j"],
    ["= inside a value", "sig=ab=="],
    ["a non-ASCII value", "n=%C3%A9t%C3%A9"],
    ["an encoded & and # in a value", "v=a%26b%23c"],
    ["several params, bare and spaced", "src=twilio&debug&note=hi+there&next=/a/b"],
  ])("includes the URL Twilio signed for %s", (_, query) => {
    const candidates = signedUrlCandidates(BASE, decodedQuery(query));
    expect(candidates).toContain(`${BASE}?${query}`);
    expect(candidates.length).toBeLessThanOrEqual(8);
  });

  it("tries the most common spelling first: minimal encoding, %20, key=", () => {
    expect(signedUrlCandidates(BASE, decodedQuery("next=/x/y&t=a+b&e="))).toEqual([
      `${BASE}?next=/x/y&t=a%20b&e=`,
      `${BASE}?next=/x/y&t=a+b&e=`,
      `${BASE}?next=/x/y&t=a%20b&e`,
      `${BASE}?next=/x/y&t=a+b&e`,
      `${BASE}?next=%2Fx%2Fy&t=a%20b&e=`,
      `${BASE}?next=%2Fx%2Fy&t=a+b&e=`,
      `${BASE}?next=%2Fx%2Fy&t=a%20b&e`,
      `${BASE}?next=%2Fx%2Fy&t=a+b&e`,
    ]);
  });

  it("encodes in keys what would change their meaning raw", () => {
    expect(signedUrlCandidates(BASE, { "a=b&c": ["1"] })[0]).toBe(`${BASE}?a%3Db%26c=1`);
    expect(signedUrlCandidates(BASE, { k: ["a&b=c#d%e+f"] })[0]).toBe(`${BASE}?k=a%26b=c%23d%25e%2Bf`);
  });

  it("stays at most 8 candidates however many params there are", () => {
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, [i % 2 ? "" : "a b/c"]]));
    const candidates = signedUrlCandidates(BASE, many);
    expect(candidates).toHaveLength(8);
    expect(new Set(candidates).size).toBe(8);
  });

  it("only offers spellings that decode to exactly the params received", () => {
    const query = decodedQuery("next=/x/y&debug&note=hi+there&p=%2B1&a=1&a=2&n=%C3%A9");
    for (const url of signedUrlCandidates(BASE, query)) {
      expect(decodedQuery(new URL(url).search)).toEqual(query);
    }
  });

  it("cannot rebuild interleaved repeated keys: grouping lost their order", () => {
    expect(signedUrlCandidates(BASE, decodedQuery("a=1&b=2&a=3"))).not.toContain(`${BASE}?a=1&b=2&a=3`);
  });

  it("uses a configured URL with its own query string alone and verbatim, whatever the request carries", () => {
    const exact = "https://sms.example/h?a=1&b=2&a=3#rc=2";
    expect(signedUrlCandidates(exact, decodedQuery("a=1&b=2&a=3"))).toEqual(["https://sms.example/h?a=1&b=2&a=3"]);
    expect(signedUrlCandidates(exact, null)).toEqual(["https://sms.example/h?a=1&b=2&a=3"]);
  });

  it("offers nothing for a value no URL can decode to (a lone surrogate)", () => {
    expect(signedUrlCandidates(BASE, { k: ["\uD800"] })).toEqual([]);
  });

  it("validates a Twilio signature over a hand-written URL, and not once a value differs", () => {
    const url = `${BASE}?next=/x/y&t=2026-01-01T00:00:00Z&flag`;
    const signature = twilioSignature(TOKEN, url, PARAMS);
    const accepts = (query: string) =>
      signedUrlCandidates(BASE, decodedQuery(query)).some((candidate) =>
        isValidTwilioSignature(TOKEN, signature, candidate, PARAMS),
      );
    expect(accepts("next=/x/y&t=2026-01-01T00:00:00Z&flag")).toBe(true);
    expect(accepts("next=/x/z&t=2026-01-01T00:00:00Z&flag")).toBe(false);
    expect(accepts("next=/x/y&t=2026-01-01T00:00:00Z&flag=1")).toBe(false);
    expect(accepts("t=2026-01-01T00:00:00Z&next=/x/y&flag")).toBe(false);
    expect(accepts("next=/x/y&t=2026-01-01T00:00:00Z")).toBe(false);
  });
});
