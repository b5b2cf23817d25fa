import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { turnSchema } from "../../lib/queue/messages.ts";
import { type Harness, inboundSms, startHarness } from "../support/flow-harness.ts";
import { seededRandom } from "../support/seeded-random.ts";
import { UNICODE_SAMPLES } from "../support/unicode-samples.ts";

const SID = `AC${"4".repeat(32)}`;
const TOKEN = "contract-token";
const OWNER = "+15557654321";
const CASES = 300;

/**
 * Signed webhooks Twilio could plausibly send, and odd ones: random Unicode bodies up to past the limit, media
 * parameters in every state of disrepair, RCS and SMS senders. Whatever the webhook answers 200 must be a turn
 * the contract accepts, so nothing acknowledged can die in the dead-letter queue.
 */
describe("the webhook and the turn contract agree on every signed message", () => {
  let h: Harness;
  const statuses = new Map<number, number>();
  beforeAll(async () => {
    h = await startHarness({
      accountSid: SID,
      authToken: TOKEN,
      fromNumber: "+15551234567",
      dmPolicy: "allowlist",
      allowFrom: [OWNER],
      inboundRateLimit: { perSenderPerMinute: 1000, perAccountPerMinute: 5000 },
    });
  });
  afterAll(() => h.stop());

  it(`${CASES} random signed messages: 200 with a valid turn, or 400 naming the field`, async () => {
    const random = seededRandom(20261202);
    const samples = Object.values(UNICODE_SAMPLES);
    const pick = <T>(items: readonly T[]): T => items[random.int(0, items.length - 1)] as T;
    let turnsSeen = 0;
    for (let index = 0; index < CASES; index++) {
      const body = Array.from({ length: random.int(0, 6) }, () => pick(samples)).join(" ");
      const padded = random.next() < 0.1 ? body.padEnd(random.int(4000, 4200), "x") : body;
      const media: Record<string, string> = { NumMedia: pick(["0", "1", "3", "12", "x", "-1", ""]) };
      for (let m = 0; m < random.int(0, 13); m++) {
        if (random.next() < 0.8) {
          media[`MediaUrl${m}`] = pick(["https://api.twilio.com/m.jpg", "not a url", "ftp://x/y", "http://h/x.png"]);
        }
        if (random.next() < 0.5) media[`MediaContentType${m}`] = pick(["image/jpeg", "", "video/mp4"]);
      }
      const from = random.next() < 0.3 ? `rcs:${OWNER}` : OWNER;
      const response = await h.webhook(inboundSms(h.account(), from, padded, media));
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      if (response.statusCode === 400) expect(response.body).toMatch(/^[A-Za-z]+\d*: /);
      for (const turn of await h.receiveTurns()) {
        turnsSeen++;
        expect(turnSchema.safeParse(turn).success).toBe(true);
      }
    }
    expect([...statuses.keys()].every((status) => status === 200 || status === 400)).toBe(true);
    expect(turnsSeen).toBe(statuses.get(200));
    expect(await h.queueDepth(h.aws.queueUrls.turnsDlq)).toBe(0);
  }, 120_000);
});
