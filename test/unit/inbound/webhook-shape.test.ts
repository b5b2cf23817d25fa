import { describe, expect, it } from "vitest";
import { checkBodyBoundaries } from "../../../lib/inbound/body-boundaries.ts";
import { parseInboundSms } from "../../../lib/inbound/inbound-message.ts";
import { checkParameterNames } from "../../../lib/inbound/parameter-names.ts";
import { checkParameterValues } from "../../../lib/inbound/parameter-values.ts";
import { isStatusCallback, parseStatusCallback } from "../../../lib/inbound/status-callback.ts";
import { checkSwallowedParameters } from "../../../lib/inbound/swallowed-parameters.ts";
import { WebhookForm } from "../../../lib/inbound/webhook-form.ts";

const SID = `SM${"a".repeat(32)}`;
const BASE: Array<[string, string]> = [
  ["MessageSid", SID],
  ["AccountSid", `AC${"1".repeat(32)}`],
  ["From", "+15557654321"],
  ["To", "+15551234567"],
  ["Body", "hello"],
  ["ApiVersion", "2010-04-01"],
];
const form = (pairs: Array<[string, string]>) => WebhookForm.fromPairs(pairs);
const withPairs = (...extra: Array<[string, string]>) => form([...BASE, ...extra]);
const replacing = (name: string, value: string) => form(BASE.map(([n, v]) => [n, n === name ? value : v]));
const replacingBody = (value: string) => replacing("Body", value);

describe("webhook form", () => {
  it("keeps every pair, __proto__ and repeats included, for the signature", () => {
    const parsed = WebhookForm.parse("__proto__=x&constructor=y&Body=a&Body=b");
    const params = parsed.signedParams();
    expect(Object.keys(params)).toEqual(["__proto__", "constructor", "Body"]);
    expect(params.Body).toEqual(["a", "b"]);
    expect(parsed.repeatedNames()).toEqual(["Body"]);
  });
});

describe("parameter names", () => {
  it("accepts Twilio's names, new ones of the same shape too", () => {
    expect(() => checkParameterNames(withPairs(["MediaUrl0", "x"], ["SomethingTwilioAddsLater", "1"]))).not.toThrow();
  });

  it.each(["__proto__", "constructor", "body", "Do not pay twice", "", "Body[]", "A-B"])(
    "refuses %j, naming it",
    (name) => {
      expect(() => checkParameterNames(withPairs([name, "x"]))).toThrow(/^parameter ".*": not a Twilio parameter name/);
    },
  );

  it("refuses a repeated name (Twilio's signature hashes a repeated value once)", () => {
    expect(() => checkParameterNames(withPairs(["Body", "hello"]))).toThrow("Body: sent more than once");
  });
});

describe("Body's neighbours in the signed order", () => {
  it("accepts the SMS shape, with Twilio's other parameters anywhere else", () => {
    expect(() => checkBodyBoundaries(withPairs(["NumMedia", "0"], ["ToCountry", "US"]), "sms")).not.toThrow();
  });

  it("refuses a parameter that could have been cut from Body's end", () => {
    expect(() => checkBodyBoundaries(withPairs(["Do", "not pay twice"]), "sms")).toThrow(
      'parameter "Do": Twilio sends no such parameter next to Body',
    );
  });

  it("refuses a parameter that could have swallowed Body's start", () => {
    expect(() => checkBodyBoundaries(withPairs(["Average", "x"]), "sms")).toThrow('parameter "Average"');
    const noApiVersion = BASE.filter(([name]) => name !== "ApiVersion");
    expect(() => checkBodyBoundaries(form([...noApiVersion, ["AddOns", "{}"]]), "sms")).not.toThrow();
    // AddOns before Body must be the JSON Twilio sends, so it cannot have swallowed Body's start.
    expect(() => checkSwallowedParameters(form([...noApiVersion, ["AddOns", "{}Bodyhi "]]), "sms")).toThrow(
      "AddOns: expected the JSON Twilio sends",
    );
  });

  it("accepts RCS button parameters after Body, on RCS only", () => {
    const buttons = withPairs(["ButtonText", "Yes"], ["ButtonPayload", "yes"]);
    expect(() => checkBodyBoundaries(buttons, "rcs")).not.toThrow();
    expect(() => checkBodyBoundaries(buttons, "sms")).toThrow('parameter "ButtonPayload"');
  });

  it("needs a Body", () => {
    expect(() => checkBodyBoundaries(form(BASE.filter(([name]) => name !== "Body")), "sms")).toThrow("Body: missing");
  });
});

describe("an inbound message", () => {
  it("reads an SMS", () => {
    expect(parseInboundSms(form(BASE))).toMatchObject({
      messageSid: SID,
      sender: { channel: "sms", number: "+15557654321" },
      to: "+15551234567",
      body: "hello",
      media: [],
      mediaOmitted: 0,
    });
  });

  it.each([
    ["From", "bob", /^From: expected an E\.164 number or rcs:\+E164, got "bob"/],
    ["From", "whatsapp:+15557654321", /^From: expected/],
    ["To", "", /^To: expected an E\.164 number or rcs:<sender id>, got ""/],
    ["MessageSid", "SM123", /^MessageSid: expected SM or MM followed by 32 hex/],
    ["ApiVersion", "2010-04-01Bodyhello", /^ApiVersion: expected 2010-04-01/],
  ])("names a bad %s", (name, value, message) => {
    expect(() => parseInboundSms(replacing(name, value))).toThrow(message);
  });

  it("takes the sid from SmsMessageSid or SmsSid when MessageSid is absent, and refuses disagreeing sids", () => {
    const legacy = BASE.filter(([name]) => name !== "MessageSid");
    expect(parseInboundSms(form([...legacy, ["SmsMessageSid", SID]])).messageSid).toBe(SID);
    expect(parseInboundSms(form([...legacy, ["SmsSid", SID]])).messageSid).toBe(SID);
    expect(() => parseInboundSms(withPairs(["SmsSid", `SM${"b".repeat(32)}`]))).toThrow(
      "SmsSid: differs from MessageSid",
    );
    expect(() => parseInboundSms(form(legacy))).toThrow("MessageSid: missing");
  });
});

describe("delivery callbacks", () => {
  it("tells a callback from a message, legacy SmsStatus included", () => {
    expect(isStatusCallback(form([["MessageStatus", "sent"]]))).toBe(true);
    expect(isStatusCallback(form([["SmsStatus", "delivered"]]))).toBe(true);
    expect(isStatusCallback(form([["SmsStatus", "received"]]))).toBe(false);
    expect(isStatusCallback(form(BASE))).toBe(false);
  });

  it("reads sid, status and error code, naming what is malformed", () => {
    expect(
      parseStatusCallback(
        form([
          ["SmsSid", SID],
          ["SmsStatus", "undelivered"],
          ["ErrorCode", "30003"],
        ]),
      ),
    ).toEqual({
      messageSid: SID,
      status: "undelivered",
      errorCode: "30003",
    });
    expect(() =>
      checkParameterValues(
        form([
          ["MessageSid", SID],
          ["MessageStatus", "<b>"],
        ]),
      ),
    ).toThrow(/^MessageStatus: expected a Twilio message status/);
    expect(() =>
      checkParameterValues(
        form([
          ["MessageSid", SID],
          ["MessageStatus", "failed"],
          ["ErrorCode", "x"],
        ]),
      ),
    ).toThrow(/^ErrorCode: expected a Twilio error code/);
  });
});

describe("re-cuts that fold Twilio's parameters into a value", () => {
  const MEDIA = `https://api.twilio.com/2010-04-01/Accounts/AC${"1".repeat(32)}/Messages/${SID}/Media/ME${"0".repeat(32)}`;

  it.each([
    ["the real From folded into an invented parameter", "Fz", "From+15550009999"],
    ["the real From of an RCS user", "Mallory", "FromRCS:+15550009999"],
    ["MediaUrl1 swallows MessageSid", "MediaUrl1", `${MEDIA}MessageSid${SID}`],
    ["a content type swallows the next one", "MediaContentType0", "image/jpegMediaContentType1image/png"],
    ["a geo field swallows the sids", "ToCity", `MADRIDSmsSid${SID}SmsStatusreceivedTo+15551234567`],
  ])("%s: refused, quoting the parameter but logging a fixed label", (_, name, value) => {
    const attempt = () => checkSwallowedParameters(withPairs([name, value]), "sms");
    expect(attempt).toThrow(`parameter "${name}": its value holds another Twilio parameter: a re-cut request`);
    expect(attempt).toThrow(expect.objectContaining({ field: "injected-parameter" }));
  });

  it("on RCS, free-text values may not hold the names Twilio sends beside them", () => {
    expect(() => checkSwallowedParameters(withPairs(["ButtonPayload", "cancelButtonTextNo"]), "rcs")).toThrow(
      "ButtonPayload: holds the name of a parameter Twilio sends next to it",
    );
    expect(() => checkSwallowedParameters(replacingBody("NoButtonPayloadcancel"), "rcs")).toThrow("Body: holds");
  });

  it("accepts what Twilio sends, including text that merely mentions parameters", () => {
    const legit: Array<[string, string]> = [
      ["Body", "From+15551234567 MessageSidSM: a person may write anything"],
      ["FromCity", "TORONTO"],
      ["ToCity", "From"],
      ["ButtonPayload", "slot_ToCity_2"],
      ["ButtonText", "ReportErrorCode"],
      ["AddOns", '{"status":"successful","results":{}}'],
    ];
    expect(() => checkSwallowedParameters(withPairs(...legit), "rcs")).not.toThrow();
  });
});

describe("structured parameter values", () => {
  it.each([
    ["NumMedia", "0Num", "a count"],
    ["NumSegments", "1SmsMessageSid", "a count"],
    ["MessagingServiceSid", "MG1", "MG followed by 32 hex"],
    ["SmsStatus", "receivedTo", "a Twilio message status"],
  ])("%s=%j is refused, naming the parameter", (name, value, expected) => {
    expect(() => checkParameterValues(withPairs([name, value]))).toThrow(`${name}: expected ${expected}`);
  });

  it("accepts what Twilio sends", () => {
    expect(() =>
      checkParameterValues(withPairs(["NumMedia", "2"], ["SmsStatus", "received"], ["OptOutType", "STOP"])),
    ).not.toThrow();
  });
});
