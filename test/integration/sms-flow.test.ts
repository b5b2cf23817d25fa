import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { echoReply } from "../../lib/agent/echo-agent.ts";
import { handleWebhook } from "../../lib/inbound/handle-webhook.ts";
import { SecretResolver } from "../../lib/secrets/secret-resolver.ts";
import { twilioSignature } from "../../lib/twilio/signature.ts";
import { type Harness, inboundSms, STAGE_URL, startHarness } from "../support/flow-harness.ts";
import { validateCreateMessageParams } from "../support/twilio-spec.ts";
import { restApiEvent } from "../support/webhook-events.ts";

const SID = `AC${"1".repeat(32)}`;
const TOKEN = "test-auth-token";
const OWNER = "+15557654321";
const STRANGER = "+15550009999";

describe("a signed SMS travels end to end (handlers, dynalite, fauxqs, Twilio stand-in)", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      enabled: true,
      accountSid: SID,
      authToken: TOKEN,
      fromNumber: "+15551234567",
      dmPolicy: "allowlist",
      allowFrom: [OWNER],
    });
  });
  afterAll(() => h.stop());
  beforeEach(async () => {
    await h.receiveTurns(); // start each case from an empty turns queue
  });

  it("an allowed sender's message becomes a turn, the echo agent answers, Twilio gets the reply", async () => {
    const form = inboundSms(h.account(), OWNER, "hello agent");
    const response = await h.webhook(form);
    expect(response).toEqual({
      statusCode: 200,
      headers: { "content-type": "text/xml", "x-sms-outcome": "turn" },
      body: "<Response/>",
    });

    const turns = await h.receiveTurns();
    expect(turns).toHaveLength(1);
    const turn = turns[0];
    if (!turn) throw new Error("no turn");
    expect(turn).toMatchObject({
      version: 1,
      account: "default",
      channel: "sms",
      messageSid: form.MessageSid,
      from: OWNER,
      to: "+15551234567",
      text: "hello agent",
      media: [],
    });

    await h.inboundDeps.queues.sendReply(echoReply(turn));
    const outcomes = await h.deliverReplies();
    expect(outcomes).toEqual([{ kind: "sent", sids: [expect.stringMatching(/^SM[0-9a-f]{32}$/)] }]);

    const creates = h.twilio.requests.filter(
      (r) => r.method === "POST" && r.path === `/2010-04-01/Accounts/${SID}/Messages.json`,
    );
    expect(creates).toHaveLength(1);
    const params = creates[0]?.params ?? {};
    expect(params.To).toEqual([OWNER]);
    expect(params.From).toEqual(["+15551234567"]);
    expect(params.Body).toEqual(['You said: "hello agent"']);
    expect(params.StatusCallback).toEqual([`${STAGE_URL}/webhooks/sms#rp=5xx,ct,rt&rt=5000&rc=5`]);
    expect(validateCreateMessageParams(params)).toEqual([]);
  });

  it.each([
    ["wrong", "AAAAAAAAAAAAAAAAAAAAAAAAAAA="],
    ["missing", null],
    ["mangled", "not base64 at all"],
  ])("a %s signature gets 403 and queues nothing", async (_, signature) => {
    const response = await h.webhook(inboundSms(h.account(), OWNER, "forged"), { signature });
    expect(response.statusCode).toBe(403);
    expect(await h.queueDepth(h.aws.queueUrls.turns)).toBe(0);
  });

  it("a signature made with another token, or for another URL, gets 403", async () => {
    const form = inboundSms(h.account(), OWNER, "forged");
    const url = `${STAGE_URL}/webhooks/sms`;
    expect((await h.webhook(form, { signature: twilioSignature("other-token", url, form) })).statusCode).toBe(403);
    expect(
      (await h.webhook(form, { signature: twilioSignature(TOKEN, "https://evil.example/webhooks/sms", form) }))
        .statusCode,
    ).toBe(403);
    expect(await h.queueDepth(h.aws.queueUrls.turns)).toBe(0);
  });

  it("a body changed after signing gets 403", async () => {
    const form = inboundSms(h.account(), OWNER, "original");
    const signature = twilioSignature(TOKEN, `${STAGE_URL}/webhooks/sms`, form);
    const response = await handleWebhook(
      restApiEvent("/webhooks/sms", { ...form, Body: "tampered" }, signature),
      h.inboundDeps,
    );
    expect(response.statusCode).toBe(403);
  });

  it("accepts a base64-encoded body, any header case, and a signed query string", async () => {
    const form = inboundSms(h.account(), OWNER, "encoded");
    const query = "source=twilio&x=";
    const signature = twilioSignature(TOKEN, `${STAGE_URL}/webhooks/sms?${query}`, form);
    const event = restApiEvent("/webhooks/sms", form, signature, query, { base64: true, headerCase: "lower" });
    expect((await handleWebhook(event, h.inboundDeps)).statusCode).toBe(200);
    expect((await h.receiveTurns()).map((t) => t.text)).toEqual(["encoded"]);
  });

  it("a sender the policy does not allow gets 200 and nothing is queued", async () => {
    const response = await h.webhook(inboundSms(h.account(), STRANGER, "let me in"));
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe("<Response/>");
    expect(await h.queueDepth(h.aws.queueUrls.turns)).toBe(0);
    expect(await h.queueDepth(h.aws.queueUrls.replies)).toBe(0);
  });

  it("a second delivery of the same MessageSid makes no second turn", async () => {
    const form = inboundSms(h.account(), OWNER, "only once");
    expect((await h.webhook(form)).statusCode).toBe(200);
    expect((await h.webhook(form)).statusCode).toBe(200);
    expect((await h.receiveTurns()).filter((t) => t.messageSid === form.MessageSid)).toHaveLength(1);
  });

  it("a webhook for another Twilio account is refused even when signed", async () => {
    const form = { ...inboundSms(h.account(), OWNER, "x"), AccountSid: `AC${"2".repeat(32)}` };
    expect((await h.webhook(form)).statusCode).toBe(403);
  });

  it("a token just put into Secrets Manager is picked up on the first mismatch (at most once a minute)", async () => {
    const values: Record<string, string> = { "arn:token": "placeholder-from-first-deploy" };
    let reads = 0;
    const clock = { now: 0 };
    const secrets = new SecretResolver(
      {
        async getSecretString(id) {
          reads++;
          return values[id] ?? "";
        },
      },
      {},
      () => clock.now,
    );
    const account = { ...h.account(), authToken: { source: "aws" as const, id: "arn:token" } };
    const deps = { ...h.inboundDeps, secrets, config: { ...h.runtime, accounts: [account] } };
    const post = (body: string) => {
      const form = inboundSms(account, OWNER, body);
      return handleWebhook(
        restApiEvent("/webhooks/sms", form, twilioSignature(TOKEN, `${STAGE_URL}/webhooks/sms`, form)),
        deps,
      );
    };

    expect((await post("before the token is set")).statusCode).toBe(403); // the placeholder cannot match
    values["arn:token"] = TOKEN; // the operator runs put-secret-value
    clock.now = 30_000;
    expect((await post("too soon to re-read")).statusCode).toBe(403);
    clock.now = 61_000;
    expect((await post("after the floor")).statusCode).toBe(200);
    expect(reads).toBe(2);
    expect((await h.receiveTurns()).map((t) => t.text)).toEqual(["after the floor"]);
  });

  it("a body far bigger than any Twilio webhook gets 413 before any signature work", async () => {
    const form = inboundSms(h.account(), OWNER, "x".repeat(70 * 1024));
    expect((await h.webhook(form)).statusCode).toBe(413);
    expect(await h.queueDepth(h.aws.queueUrls.turns)).toBe(0);
  });

  it("a signed webhook without a valid From gets 400 naming the field", async () => {
    const response = await h.webhook(inboundSms(h.account(), "not-a-number", "x"));
    expect(response).toMatchObject({ statusCode: 400, body: expect.stringContaining("From") });
  });
});
