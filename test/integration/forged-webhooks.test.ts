import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleWebhook } from "../../lib/inbound/handle-webhook.ts";
import { configuredWebhookUrl } from "../../lib/inbound/webhook-routing.ts";
import type { Turn } from "../../lib/queue/messages.ts";
import { type Harness, inboundSms, STAGE_URL, startHarness } from "../support/flow-harness.ts";
import { type ForgedVariant, forgedVariants, formBody, type Pairs, signPairs } from "../support/forged-webhooks.ts";
import { restApiEvent } from "../support/webhook-events.ts";

const SID = `AC${"7".repeat(32)}`;
const TOKEN = "forgery-token";
const OWNER = "+15557654321";
const BODY = "pay the invoice Do not pay twice. Call Dana, Each Desk Copy, Even Cedric (Body copy)";

/** What a variant may leave behind: nothing, or exactly the turn the untouched webhook would have made. */
interface Verdict {
  variant: ForgedVariant;
  status: number;
  turns: Turn[];
}

describe("forged and re-cut webhooks change nothing (handlers, dynalite, fauxqs)", () => {
  let h: Harness;
  let url: string;
  const verdicts: Verdict[] = [];
  const originals: Pairs[] = [];

  beforeAll(async () => {
    h = await startHarness({
      accountSid: SID,
      authToken: TOKEN,
      fromNumber: "+15551234567",
      dmPolicy: "allowlist",
      allowFrom: [OWNER],
    });
    url = configuredWebhookUrl(h.account(), STAGE_URL);
    // Each variant is cut from its own original (own MessageSid), so none passes for a replay of another.
    const count = forgedVariants({ pairs: original(), url, token: TOKEN }).length;
    for (let index = 0; index < count; index++) {
      const pairs = original();
      originals.push(pairs);
      const variant = forgedVariants({ pairs, url, token: TOKEN })[index] as ForgedVariant;
      const event = restApiEvent(h.account().webhookPath, {}, variant.signature);
      const response = await handleWebhook({ ...event, body: formBody(variant.pairs) }, h.inboundDeps);
      verdicts.push({ variant, status: response.statusCode, turns: await h.receiveTurns() });
    }
  }, 120_000);
  afterAll(() => h.stop());

  function original(): Pairs {
    return Object.entries(inboundSms(h.account(), OWNER, BODY));
  }

  it("covers at least 200 variants, many of them valid by Twilio's own validator", () => {
    expect(verdicts.length).toBeGreaterThanOrEqual(200);
    expect(verdicts.filter((v) => v.variant.twilioValid).length).toBeGreaterThanOrEqual(50);
  });

  it("no variant changes what reaches the agent: refused (4xx), or the very turn the original makes", () => {
    const changed = verdicts.filter(({ status, turns }, index) => {
      if (status >= 400 && status < 500) return turns.length > 0;
      const expected = originals[index]?.find(([name]) => name === "MessageSid")?.[1];
      return !(status === 200 && turns.length === 1 && turns[0]?.text === BODY && turns[0]?.messageSid === expected);
    });
    expect(changed.map(({ variant, status }) => `${variant.family}: ${variant.label} -> ${status}`)).toEqual([]);
  });

  it("every variant outside harmless boundary shifts is refused", () => {
    const accepted = verdicts.filter((v) => v.variant.family !== "boundary-shift" && v.status < 400);
    expect(accepted.map(({ variant }) => `${variant.family}: ${variant.label}`)).toEqual([]);
  });

  it("forgeries get 403, re-cuts that keep Twilio's signature get 400 naming the parameter", () => {
    for (const { variant, status } of verdicts) {
      if (!variant.twilioValid) expect(status, variant.label).toBe(403);
    }
    expect(verdicts.filter((v) => v.variant.twilioValid && v.status === 400).length).toBeGreaterThanOrEqual(50);
  });

  it("the two reported re-cuts: the Body tail as a parameter, and Body folded into ApiVersion", async () => {
    const pairs = original();
    const signature = signPairs(TOKEN, url, pairs);
    const recut = pairs.flatMap(
      ([name, value]): Pairs =>
        name === "Body"
          ? [
              ["Body", "pay the invoice "],
              [BODY.slice("pay the invoice ".length), ""],
            ]
          : [[name, value]],
    );
    const folded = pairs.flatMap(
      ([name, value]): Pairs =>
        name === "Body" ? [] : name === "ApiVersion" ? [[name, `${value}Body${BODY}`]] : [[name, value]],
    );
    for (const [forged, message] of [
      [recut, /parameter "Do not pay twice\. Call Dana, Each Desk C…": not a Twilio parameter name/],
      [folded, /Body: missing/],
    ] as const) {
      expect(signPairs(TOKEN, url, forged)).toBe(signature);
      const event = restApiEvent(h.account().webhookPath, {}, signature);
      const response = await handleWebhook({ ...event, body: formBody(forged) }, h.inboundDeps);
      expect(response.statusCode).toBe(400);
      expect(response.body).toMatch(message);
    }
    expect(await h.receiveTurns()).toEqual([]);
  });

  it("a parameter appended to a signed body is seen by the signature check (__proto__ included)", async () => {
    const pairs = original();
    const signature = signPairs(TOKEN, url, pairs);
    const event = restApiEvent(h.account().webhookPath, {}, signature);
    const response = await handleWebhook({ ...event, body: `${formBody(pairs)}&__proto__=x` }, h.inboundDeps);
    expect(response.statusCode).toBe(403);
    expect(await h.receiveTurns()).toEqual([]);
  });
});
