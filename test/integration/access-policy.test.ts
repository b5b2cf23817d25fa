import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PAIRING_TTL_MS } from "../../lib/access/access-state.ts";
import { replySchema } from "../../lib/queue/messages.ts";
import { type Harness, inboundSms, startHarness } from "../support/flow-harness.ts";

const SID = `AC${"4".repeat(32)}`;
let phoneCounter = 1000;
const newPhone = () => `+1555000${phoneCounter++}`;

describe("who may talk to the agent (inbound side)", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      accountSid: SID,
      authToken: "policy-token",
      accounts: {
        personal: {
          fromNumber: "+15551110001",
          dmPolicy: "pairing",
          inboundRateLimit: { perSenderPerMinute: 3, perAccountPerMinute: 1000 },
        },
        work: { fromNumber: "+15551110002", dmPolicy: "pairing" },
        busy: {
          fromNumber: "+15551110003",
          dmPolicy: "open",
          allowFrom: ["*"],
          inboundRateLimit: { perAccountPerMinute: 4 },
        },
        closed: { fromNumber: "+15551110004", dmPolicy: "disabled" },
      },
    });
  });
  afterAll(() => h.stop());
  beforeEach(async () => {
    h.clock.now += 10 * PAIRING_TTL_MS; // every case starts with earlier pairing requests expired
    await h.receiveTurns();
    await h.receiveReplies();
  });

  const send = (account: string, from: string, body: string) =>
    h.webhook(inboundSms(h.account(account), from, body), { account });

  it("pairing: an unknown sender gets one SMS with number, code and the owner's command; no turn", async () => {
    const sender = newPhone();
    expect((await send("personal", sender, "hi, who is this?")).statusCode).toBe(200);
    expect(await h.receiveTurns()).toEqual([]);
    const replies = await h.receiveReplies();
    expect(replies).toHaveLength(1);
    const reply = replies[0];
    expect(reply).toMatchObject({ account: "personal", to: sender, kind: "pairing" });
    const code = /Pairing code: ([A-HJ-NP-Z2-9]{8})/.exec(reply?.text ?? "")?.[1];
    expect(code).toBeDefined();
    expect(reply?.text).toContain(sender);
    expect(reply?.text).toContain(`smsctl pairing approve ${code}`);
    expect(reply?.text).not.toContain("who is this"); // nothing they sent is forwarded
    expect(replySchema.safeParse(reply).success).toBe(true); // the outbound side will accept it

    const state = await h.inboundDeps.access.read("personal", h.clock.now);
    expect(state.pending).toEqual([{ phone: sender, code, createdAt: h.clock.now }]);
  });

  it("pairing: a pending sender who writes again gets no second code", async () => {
    const sender = newPhone();
    await send("personal", sender, "one");
    h.clock.now += 60_000;
    await send("personal", sender, "two");
    expect(await h.receiveReplies()).toHaveLength(1);
    expect(await h.receiveTurns()).toEqual([]);
  });

  it("pairing: at most 3 pending requests; a fourth sender gets no code and no reply", async () => {
    const senders = [newPhone(), newPhone(), newPhone(), newPhone()];
    for (const sender of senders) await send("personal", sender, "hello");
    const replies = await h.receiveReplies();
    expect(replies.map((r) => r.to)).toEqual(senders.slice(0, 3));
    const state = await h.inboundDeps.access.read("personal", h.clock.now);
    expect(state.pending.map((p) => p.phone).sort()).toEqual(senders.slice(0, 3).sort());
  });

  it("pairing: a request expires after 1 hour (checked on read): the sender may ask again", async () => {
    const sender = newPhone();
    await send("personal", sender, "first");
    h.clock.now += PAIRING_TTL_MS - 1;
    await send("personal", sender, "still pending");
    expect(await h.receiveReplies()).toHaveLength(1);
    h.clock.now += 1;
    await send("personal", sender, "after expiry");
    const replies = await h.receiveReplies();
    expect(replies).toHaveLength(1);
    const state = await h.inboundDeps.access.read("personal", h.clock.now);
    expect(state.pending.filter((p) => p.phone === sender)).toHaveLength(1); // the expired one was replaced
  });

  it("approved senders reach the agent; approval is per account", async () => {
    const sender = newPhone();
    await send("personal", sender, "hello");
    const seen = await h.inboundDeps.access.read("personal", h.clock.now);
    expect(await h.inboundDeps.access.approve("personal", sender, "pairing", seen, h.clock.now)).toBe(true);
    await h.receiveReplies();

    await send("personal", sender, "now approved");
    expect((await h.receiveTurns()).map((t) => [t.account, t.text])).toEqual([["personal", "now approved"]]);

    await send("work", sender, "other number of the same owner");
    expect(await h.receiveTurns()).toEqual([]);
    expect((await h.receiveReplies()).map((r) => r.account)).toEqual(["work"]); // a pairing request in "work" instead
  });

  it("STOP opts out (no turn, no reply; later replies refused); START clears it; HELP never reaches the agent", async () => {
    const sender = newPhone();
    const seen = await h.inboundDeps.access.read("personal", h.clock.now);
    await h.inboundDeps.access.approve("personal", sender, "admin", seen, h.clock.now);
    const optedOut = () => h.inboundDeps.optOuts.isOptedOut("personal", sender);

    expect((await send("personal", sender, " Stop. ")).statusCode).toBe(200);
    expect(await optedOut()).toBe(true);
    expect(await h.receiveTurns()).toEqual([]);
    expect(await h.receiveReplies()).toEqual([]);

    // Twilio still delivers their later messages; the agent may answer, but nothing is sent until START.
    await send("personal", sender, "are you there?");
    const [turn] = await h.receiveTurns();
    expect(turn?.text).toBe("are you there?");
    await h.inboundDeps.queues.sendReply({
      version: 1,
      replyId: "stop-test",
      account: "personal",
      to: sender,
      text: "yes!",
    });
    expect(await h.deliverReplies()).toEqual([{ kind: "refused", reason: "recipient opted out" }]);
    expect(h.twilio.messages.filter((m) => m.to === sender)).toEqual([]);

    await send("personal", sender, "HELP");
    expect(await h.receiveTurns()).toEqual([]);
    expect(await h.receiveReplies()).toEqual([]);

    await send("personal", sender, "start");
    expect(await optedOut()).toBe(false);
    expect(await h.receiveTurns()).toEqual([]); // START itself is for the carrier
    await send("personal", sender, "back again");
    expect((await h.receiveTurns()).map((t) => t.text)).toEqual(["back again"]);
  });

  it('"Yes" from a sender who never opted out is an answer for the agent', async () => {
    const sender = newPhone();
    const seen = await h.inboundDeps.access.read("personal", h.clock.now);
    await h.inboundDeps.access.approve("personal", sender, "admin", seen, h.clock.now);
    await send("personal", sender, "Book the 7pm table?");
    await send("personal", sender, "Yes");
    await send("personal", sender, "start!");
    expect((await h.receiveTurns()).map((t) => t.text)).toEqual(["Book the 7pm table?", "Yes", "start!"]);
  });

  it("a code SMS lost after the request was stored is queued again when the sender writes again", async () => {
    const sender = newPhone();
    // As if the webhook failed between storing the request and queueing its SMS.
    const seen = await h.inboundDeps.access.read("personal", h.clock.now);
    const request = { phone: sender, code: "LOSTCDE2", createdAt: h.clock.now };
    expect(await h.inboundDeps.access.addPairingRequest("personal", request, seen, h.clock.now)).toBe(true);
    h.clock.now += 60_000;
    await send("personal", sender, "hello?");
    const replies = await h.receiveReplies();
    expect(replies.map((r) => [r.to, /Pairing code: (\w+)/.exec(r.text)?.[1]])).toEqual([[sender, "LOSTCDE2"]]);
  });

  it("a delivered code SMS is never sent twice, however often the pending sender writes", async () => {
    const sender = newPhone();
    await send("personal", sender, "hello");
    expect(await h.deliverReplies()).toEqual([{ kind: "sent", sids: [expect.any(String)] }]);
    h.clock.now += 60_000;
    await send("personal", sender, "hello?");
    await send("personal", sender, "anyone?");
    await h.deliverReplies();
    expect(h.twilio.messages.filter((m) => m.to === sender)).toHaveLength(1);
  });

  it("STOP and HELP from an unknown sender create no pairing request", async () => {
    const sender = newPhone();
    await send("personal", sender, "STOP");
    await send("personal", sender, "info");
    expect(await h.receiveReplies()).toEqual([]);
    expect((await h.inboundDeps.access.read("personal", h.clock.now)).pending.some((p) => p.phone === sender)).toBe(
      false,
    );
  });

  it("disabled: nothing reaches the agent and nobody gets a code", async () => {
    await send("closed", newPhone(), "hello?");
    expect(await h.receiveTurns()).toEqual([]);
    expect(await h.receiveReplies()).toEqual([]);
  });

  it("per-sender rate limit: over the limit the message is dropped with 200 and counted", async () => {
    const sender = newPhone();
    const seen = await h.inboundDeps.access.read("personal", h.clock.now);
    await h.inboundDeps.access.approve("personal", sender, "admin", seen, h.clock.now);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await send("personal", sender, `msg ${i}`)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect((await h.receiveTurns()).map((t) => t.text)).toEqual(["msg 0", "msg 1", "msg 2"]);
    const state = await h.inboundDeps.access.read("personal", h.clock.now);
    const minute = Math.floor(h.clock.now / 60_000);
    expect(state.rateCounters.get(`rate:${minute}:${sender}`)).toBe(5);
    expect(await h.inboundDeps.stats.droppedToday("personal", h.clock.now)).toMatchObject({ "rate-limit-sender": 2 });

    h.clock.now += 60_000; // the next minute has a fresh window
    await send("personal", sender, "next minute");
    expect((await h.receiveTurns()).map((t) => t.text)).toEqual(["next minute"]);
  });

  it("per-account rate limit applies across senders", async () => {
    for (let i = 0; i < 6; i++) await send("busy", newPhone(), `m${i}`);
    expect((await h.receiveTurns()).map((t) => t.text).sort()).toEqual(["m0", "m1", "m2", "m3"]);
    expect(await h.inboundDeps.stats.droppedToday("busy", h.clock.now)).toEqual({ "rate-limit-account": 2 });
  });

  it("stale minute counters are removed by later writes, so the item does not grow", async () => {
    const sender = newPhone();
    await send("work", sender, "a");
    const staleMinute = Math.floor(h.clock.now / 60_000);
    h.clock.now += 5 * 60_000;
    await send("work", sender, "b"); // learns the stale names
    await send("work", sender, "c"); // removes them
    const state = await h.inboundDeps.access.read("work", h.clock.now);
    expect([...state.rateCounters.keys()].some((name) => name.startsWith(`rate:${staleMinute}`))).toBe(false);
  });
});
