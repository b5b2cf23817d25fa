import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Turn } from "../../lib/queue/messages.ts";
import { REPLAY_WINDOW_SECONDS } from "../../lib/store/inbound-receipt-store.ts";
import { type Harness, inboundSms, startHarness } from "../support/flow-harness.ts";

const SID = `AC${"8".repeat(32)}`;
const TOKEN = "replay-token";
const OWNER = "+15557654321";
const MINUTE = 60_000;

describe("a MessageSid has its effect once, far beyond SQS FIFO's 5-minute dedupe window", () => {
  let h: Harness;
  /** Every turn the webhook hands to SQS, so a duplicate shows even where SQS would collapse it. */
  let queuedTurns: Turn[];
  let failNextTurn: boolean;

  beforeAll(async () => {
    h = await startHarness({
      accountSid: SID,
      authToken: TOKEN,
      fromNumber: "+15551234567",
      dmPolicy: "allowlist",
      allowFrom: [OWNER],
    });
    const publisher = h.inboundDeps.queues;
    const sendTurn = publisher.sendTurn.bind(publisher);
    publisher.sendTurn = async (turn) => {
      if (failNextTurn) {
        failNextTurn = false;
        throw new Error("SQS unavailable");
      }
      queuedTurns.push(turn);
      await sendTurn(turn);
    };
  });
  afterAll(() => h.stop());
  beforeEach(async () => {
    queuedTurns = [];
    failNextTurn = false;
    await h.receiveTurns();
  });

  it.each([
    ["at once", 0],
    ["5 minutes 10 seconds later", 5 * MINUTE + 10_000],
    ["23 hours later", 23 * 60 * MINUTE],
    ["6 days later", 6 * 24 * 60 * MINUTE],
  ])("a replay %s answers 200 and queues nothing", async (_, laterMs) => {
    const form = inboundSms(h.account(), OWNER, "transfer $100");
    expect((await h.webhook(form)).statusCode).toBe(200);
    h.clock.now += laterMs;
    expect((await h.webhook(form)).statusCode).toBe(200);
    expect(queuedTurns.map((turn) => turn.messageSid)).toEqual([form.MessageSid]);
  });

  it("a replay after the window has passed is a new message again (the window is the bound)", async () => {
    const form = inboundSms(h.account(), OWNER, "old news");
    await h.webhook(form);
    h.clock.now += (REPLAY_WINDOW_SECONDS + 60) * 1000;
    await h.webhook(form);
    expect(queuedTurns).toHaveLength(2);
  });

  it("a replayed STOP does not opt out a sender who has since texted START", async () => {
    const stop = inboundSms(h.account(), OWNER, "STOP");
    await h.webhook(stop);
    await h.webhook(inboundSms(h.account(), OWNER, "START"));
    expect(await h.inboundDeps.optOuts.isOptedOut("default", OWNER)).toBe(false);
    h.clock.now += 10 * MINUTE;
    expect((await h.webhook(stop)).statusCode).toBe(200);
    expect(await h.inboundDeps.optOuts.isOptedOut("default", OWNER)).toBe(false);
  });

  it("Twilio's retry of a START whose opt-in already happened does not reach the agent", async () => {
    await h.webhook(inboundSms(h.account(), OWNER, "STOP"));
    const start = inboundSms(h.account(), OWNER, "START");
    await h.webhook(start);
    await h.webhook(start);
    expect(queuedTurns).toEqual([]);
  });

  it("a webhook that failed half-way is handled when Twilio retries it", async () => {
    const form = inboundSms(h.account(), OWNER, "second try");
    failNextTurn = true;
    await expect(h.webhook(form)).rejects.toThrow("SQS unavailable");
    expect((await h.webhook(form)).statusCode).toBe(200);
    expect(queuedTurns.map((turn) => turn.text)).toEqual(["second try"]);
  });
});
