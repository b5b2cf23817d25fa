import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleWebhook } from "../../lib/inbound/handle-webhook.ts";
import { configuredWebhookUrl } from "../../lib/inbound/webhook-routing.ts";
import type { Log } from "../../lib/log/log.ts";
import type { Turn } from "../../lib/queue/messages.ts";
import { type Harness, STAGE_URL, startHarness } from "../support/flow-harness.ts";
import { FORGED_BODY, type OriginalMessage, rcsButtonTap, smsWithMedia } from "../support/forged-originals.ts";
import {
  type ForgedVariant,
  forgedVariants,
  formBody,
  injectionAttacks,
  type Pairs,
  signPairs,
} from "../support/forged-webhooks.ts";
import { restApiEvent } from "../support/webhook-events.ts";

const SID = `AC${"7".repeat(32)}`;
const TOKEN = "forgery-token";
const OWNER = "+15557654321";
const TWILIO_NUMBER = "+15551234567";

interface Verdict {
  variant: ForgedVariant;
  original: OriginalMessage;
  status: number;
  body: string;
  turns: Turn[];
}

describe("forged and re-cut webhooks change nothing (handlers, dynalite, fauxqs)", () => {
  let h: Harness;
  let url: string;
  const verdicts: Verdict[] = [];
  const logged: string[] = [];

  async function send(pairs: Pairs, signature: string | null) {
    const event = restApiEvent(h.account().webhookPath, {}, signature);
    return handleWebhook({ ...event, body: formBody(pairs) }, h.inboundDeps);
  }

  /** Every variant of the message `make` builds, each cut from its own original (own MessageSid, no replay). */
  async function attack(make: () => OriginalMessage) {
    const count = forgedVariants({ pairs: make().pairs, url, token: TOKEN }, 0).length;
    for (let index = 0; index < count; index++) {
      const original = make();
      const variant = forgedVariants({ pairs: original.pairs, url, token: TOKEN }, 0)[index] as ForgedVariant;
      const response = await send(variant.pairs, variant.signature);
      verdicts.push({
        variant,
        original,
        status: response.statusCode,
        body: response.body,
        turns: await h.receiveTurns(),
      });
    }
  }

  beforeAll(async () => {
    h = await startHarness({
      accountSid: SID,
      authToken: TOKEN,
      fromNumber: TWILIO_NUMBER,
      dmPolicy: "allowlist",
      allowFrom: [OWNER],
      inboundRateLimit: { perSenderPerMinute: 5000, perAccountPerMinute: 5000 },
    });
    url = configuredWebhookUrl(h.account(), STAGE_URL);
    const record = (_message: string, ...extra: Array<Record<string, unknown> | Error>) =>
      logged.push(JSON.stringify(extra));
    h.inboundDeps.log = { debug: record, info: record, warn: record, error: record } satisfies Log;
    await attack(() => smsWithMedia(SID, OWNER, TWILIO_NUMBER));
    await attack(() => rcsButtonTap(SID, OWNER, "rcs:acme_agent"));
  }, 180_000);
  afterAll(() => h.stop());

  it("covers at least 200 variants, many of them valid by Twilio's own validator", () => {
    expect(verdicts.length).toBeGreaterThanOrEqual(200);
    expect(verdicts.filter((v) => v.variant.twilioValid).length).toBeGreaterThanOrEqual(100);
  });

  it("none is accepted: forgeries get 403, re-cuts that keep Twilio's signature 400, and no turn is queued", () => {
    const accepted = verdicts.filter((v) => v.status < 400 || v.turns.length > 0);
    expect(accepted.map(({ variant, status }) => `${variant.family}: ${variant.label} -> ${status}`)).toEqual([]);
    for (const { variant, status, body } of verdicts) {
      // A signature-preserving re-cut that changes AccountSid is refused as another account's webhook (403).
      const expected = !variant.twilioValid || body === "AccountSid does not match this account" ? 403 : 400;
      expect(status, variant.label).toBe(expected);
    }
  });

  it("the untouched originals still go through, media and RCS buttons included", async () => {
    for (const original of [smsWithMedia(SID, OWNER, TWILIO_NUMBER), rcsButtonTap(SID, OWNER, "rcs:acme_agent")]) {
      expect((await send(original.pairs, signPairs(TOKEN, url, original.pairs))).statusCode).toBe(200);
      const [turn, ...more] = await h.receiveTurns();
      expect(more).toEqual([]);
      expect(turn).toMatchObject(original.expected);
    }
  });

  it("the reported re-cuts: Body's tail as a parameter, Body folded into ApiVersion, __proto__ appended", async () => {
    const original = smsWithMedia(SID, OWNER, TWILIO_NUMBER);
    const signature = signPairs(TOKEN, url, original.pairs);
    const cut = "pay the invoice ";
    const recut = original.pairs.flatMap(
      ([name, value]): Pairs =>
        name === "Body"
          ? [
              ["Body", cut],
              [FORGED_BODY.slice(cut.length), ""],
            ]
          : [[name, value]],
    );
    const folded = original.pairs.flatMap(
      ([name, value]): Pairs =>
        name === "Body" ? [] : name === "ApiVersion" ? [[name, `${value}Body${FORGED_BODY}`]] : [[name, value]],
    );
    for (const [forged, status, message] of [
      [recut, 400, /^parameter "Do not pay twice\. Call Dana, Each Desk C…": not a Twilio parameter name/],
      [folded, 400, /^Body: missing/],
      [[...original.pairs, ["__proto__", "x"]] as Pairs, 403, /invalid Twilio signature/],
    ] as const) {
      expect(signPairs(TOKEN, url, forged) === signature).toBe(status === 400);
      const response = await send(forged, signature);
      expect(response.statusCode).toBe(status);
      expect(response.body).toMatch(message);
    }
    expect(await h.receiveTurns()).toEqual([]);
  });

  it("a sender cannot re-cut their own SMS into someone else's: Body text turned into From, sids and To", async () => {
    const attacker = "+15550009999";
    const fresh = `SM${"f".repeat(32)}`;
    const fakes = { From: OWNER, MessageSid: fresh, SmsSid: fresh, To: TWILIO_NUMBER };
    const attacks = injectionAttacks(smsWithMedia(SID, attacker, TWILIO_NUMBER).pairs, fakes);
    expect(attacks.length).toBeGreaterThanOrEqual(10);
    const outcomes = [];
    for (const attack of attacks) {
      const signature = signPairs(TOKEN, url, attack.signed);
      expect(signPairs(TOKEN, url, attack.recut), attack.label).toBe(signature);
      const response = await send(attack.recut, signature);
      outcomes.push(`${attack.label} -> ${response.statusCode}`);
    }
    expect(outcomes.filter((line) => !line.endsWith("-> 400"))).toEqual([]);
    expect(await h.receiveTurns()).toEqual([]);
  });

  it("refusals never log the sender's text, not even as a parameter name cut from it", () => {
    const secretWords = ["invoice", "Dana", "Cedric", "cancel_order", "Mallory"];
    expect(logged.filter((line) => secretWords.some((word) => line.includes(word)))).toEqual([]);
  });
});
