import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverReply } from "../../lib/outbound/deliver-reply.ts";
import { twilioSignature } from "../../lib/twilio/signature.ts";
import { type Harness, STAGE_URL, startHarness } from "../support/flow-harness.ts";
import { validateCreateMessageParams } from "../support/twilio-spec.ts";

const SID = `AC${"2".repeat(32)}`;
const TOKEN = "callback-token";
const TO = "+15557776666";

describe("status callbacks: Twilio is asked to retry them, and a retried one still validates", () => {
  let h: Harness;
  let statusCallback: string;
  let messageSid: string;

  beforeAll(async () => {
    h = await startHarness({ accountSid: SID, authToken: TOKEN, fromNumber: "+15552220006" });
    await deliverReply({ version: 1, replyId: "callback:1", account: "default", to: TO, text: "hi" }, h.outboundDeps);
    const [create] = h.twilio.requests.filter((request) => request.method === "POST");
    statusCallback = create?.params.StatusCallback?.[0] ?? "";
    messageSid = h.twilio.messages[0]?.sid ?? "";
    expect(validateCreateMessageParams(create?.params ?? {})).toEqual([]);
  });
  afterAll(() => h.stop());

  it("the StatusCallback carries connection overrides: retry 5xx, connect and read timeouts, never 4xx", () => {
    const url = new URL(statusCallback);
    expect(`${url.origin}${url.pathname}`).toBe(`${STAGE_URL}/webhooks/sms`);
    const overrides = new URLSearchParams(url.hash.slice(1));
    expect(Object.fromEntries(overrides)).toEqual({ rp: "5xx,ct,rt", rt: "5000", rc: "5" });
    expect(Number(overrides.get("rc"))).toBeLessThanOrEqual(5); // Twilio's maximum
  });

  it("a callback Twilio posts to that URL, without the fragment and signed without it, is verified and recorded", async () => {
    const url = new URL(statusCallback);
    url.hash = ""; // Twilio strips the fragment before it calls, and signs the URL it calls
    const called = url.toString();
    const params = {
      MessageSid: messageSid,
      SmsSid: messageSid,
      MessageStatus: "delivered",
      SmsStatus: "delivered",
      AccountSid: SID,
      From: "+15552220006",
      To: TO,
      ApiVersion: "2010-04-01",
    };
    const response = await h.webhook(params, { signature: twilioSignature(TOKEN, called, params) });
    expect(response.statusCode).toBe(200);
    expect(await h.inboundDeps.statuses.read(messageSid)).toEqual({ status: "delivered", errorCode: "" });
  });
});
