import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { twilioSignature } from "../../lib/twilio/signature.ts";
import { type Harness, inboundSms, STAGE_URL, startHarness } from "../support/flow-harness.ts";

const SID = `AC${"7".repeat(32)}`;
const TOKEN = "query-token";
const OWNER = "+15557654321";
const EXACT_URL = "https://sms.example.com/webhooks/exact?a=1&b=2&a=3";

/**
 * Twilio signs the webhook URL exactly as configured in its console, query string included; API Gateway hands the
 * function that query string only decoded and grouped by key. These webhooks go through the real REST event
 * translator and the real handler.
 */
describe("a Twilio webhook URL with a query string", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      accountSid: SID,
      authToken: TOKEN,
      dmPolicy: "allowlist",
      allowFrom: [OWNER],
      accounts: {
        stage: { fromNumber: "+15551230001" },
        exact: { fromNumber: "+15551230002", webhookPath: "/webhooks/exact", publicWebhookUrl: EXACT_URL },
      },
      defaultAccount: "stage",
    });
  });
  afterAll(() => h.stop());
  beforeEach(async () => {
    await h.receiveTurns();
  });

  it.each([
    ["a path written raw", "next=/x/y"],
    ["a timestamp with raw colons", "t=2026-01-01T00:00:00Z"],
    ["a bare key", "flag"],
    ["a raw comma", "q=a,b"],
    ["a space written as +", "x=a+b"],
    ["a space written as %20", "x=a%20b"],
    ["a repeated key", "a=1&a=3"],
    ["several of these at once", "src=twilio&debug&next=/x/y&t=2026-01-01T00:00:00Z"],
  ])("validates %s (?%s) and queues the turn", async (_, query) => {
    const form = inboundSms(h.account(), OWNER, `query ${query}`);
    const response = await h.webhook(form, { query });
    expect(response.statusCode).toBe(200);
    expect((await h.receiveTurns()).map((turn) => turn.messageSid)).toEqual([form.MessageSid]);
  });

  it.each([
    ["a changed value", "next=/x/y", "next=/x/z"],
    ["an added param", "next=/x/y", "next=/x/y&admin=1"],
    ["a dropped param", "next=/x/y&flag", "next=/x/y"],
    ["a value given to a bare key", "flag", "flag=1"],
    ["reordered keys", "a=1&b=2", "b=2&a=1"],
  ])("refuses %s in the query after signing (403, nothing queued)", async (_, signedQuery, sentQuery) => {
    const form = inboundSms(h.account(), OWNER, "tampered query");
    const signature = twilioSignature(TOKEN, `${STAGE_URL}/webhooks/sms?${signedQuery}`, form);
    const response = await h.webhook(form, { query: sentQuery, signature });
    expect(response.statusCode).toBe(403);
    expect(await h.queueDepth(h.aws.queueUrls.turns)).toBe(0);
  });

  it("cannot rebuild interleaved repeated keys from the stage URL (that needs publicWebhookUrl)", async () => {
    const response = await h.webhook(inboundSms(h.account(), OWNER, "interleaved"), { query: "a=1&b=2&a=3" });
    expect(response.statusCode).toBe(403);
    expect(await h.queueDepth(h.aws.queueUrls.turns)).toBe(0);
  });

  it("validates interleaved repeated keys when publicWebhookUrl holds the exact URL", async () => {
    const account = h.account("exact");
    const form = inboundSms(account, OWNER, "interleaved, exact");
    const signature = twilioSignature(TOKEN, EXACT_URL, form);
    const response = await h.webhook(form, { account: "exact", query: "a=1&b=2&a=3", signature });
    expect(response.statusCode).toBe(200);
    expect((await h.receiveTurns()).map((turn) => [turn.account, turn.messageSid])).toEqual([
      ["exact", form.MessageSid],
    ]);
  });

  it("refuses a signature over another query when publicWebhookUrl holds the exact URL", async () => {
    const form = inboundSms(h.account("exact"), OWNER, "not the exact URL");
    const signature = twilioSignature(TOKEN, "https://sms.example.com/webhooks/exact?a=1&b=2&a=4", form);
    const response = await h.webhook(form, { account: "exact", query: "a=1&b=2&a=4", signature });
    expect(response.statusCode).toBe(403);
    expect(await h.queueDepth(h.aws.queueUrls.turns)).toBe(0);
  });
});
