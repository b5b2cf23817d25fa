import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CLAIM_LEASE_MS, deliverReply, type OutboundDeps } from "../../lib/outbound/deliver-reply.ts";
import { ClaimHeld, RetryLater } from "../../lib/outbound/delivery-errors.ts";
import type { Reply } from "../../lib/queue/messages.ts";
import { type Harness, startHarness } from "../support/flow-harness.ts";

const SID = `AC${"7".repeat(32)}`;
let counter = 0;

function threeParagraphs(tag: string): string {
  return [1, 2, 3].map((n) => `${tag} part ${n}: ${"lorem ipsum dolor sit amet ".repeat(4).trim()}.`).join("\n\n");
}

describe("the chunk claim is a lease: two attempts on one reply never both send a chunk", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      accountSid: SID,
      authToken: "lease-token",
      fromNumber: "+15552220002",
      textChunkLimit: 160,
    });
  });
  afterAll(() => h.stop());
  beforeEach(() => {
    h.twilio.clearFaults();
    h.twilio.requests.length = 0;
  });

  function reply(tag: string): Reply {
    counter++;
    return {
      version: 1,
      replyId: `lease:${counter}`,
      account: "default",
      to: `+1555666${String(counter).padStart(4, "0")}`,
      text: threeParagraphs(tag),
    };
  }

  const sentTo = (to: string) => h.twilio.messages.filter((m) => m.to === to);
  const progressOf = async (r: Reply) =>
    (await h.outboundDeps.replies.readProgressAndOptOut(r.account, r.replyId, r.to)).progress;

  /**
   * Deps whose Twilio sends are accepted at once but answered only when `answer()` is called: an attempt stuck
   * between Twilio accepting a chunk and recording its sid.
   */
  function stalledDeps(): { deps: OutboundDeps; answer(): void } {
    let answer = () => {};
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const deps: OutboundDeps = {
      ...h.outboundDeps,
      twilioFor: (account) => {
        const twilio = h.outboundDeps.twilioFor(account);
        return {
          ...twilio,
          client: {
            ...twilio.client,
            sendMessage: async (input) => {
              const message = await twilio.client.sendMessage(input);
              await answered;
              return message;
            },
          },
        };
      },
    };
    return { deps, answer };
  }

  async function untilSent(to: string, count: number): Promise<void> {
    for (let i = 0; i < 200 && sentTo(to).length < count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sentTo(to)).toHaveLength(count);
  }

  it("two concurrent deliveries of one 3-chunk reply send each chunk exactly once", async () => {
    for (let round = 0; round < 5; round++) {
      const r = reply(`R${round}`);
      const results = await Promise.allSettled([deliverReply(r, h.outboundDeps), deliverReply(r, h.outboundDeps)]);

      const tags = sentTo(r.to).map((m) => m.body.slice(0, 9));
      expect(tags).toEqual([`R${round} part 1`, `R${round} part 2`, `R${round} part 3`]);
      expect((await progressOf(r)).sids).toEqual(sentTo(r.to).map((m) => m.sid));
      const outcomes = results.flatMap((result) => (result.status === "fulfilled" ? [result.value.kind] : []));
      expect(outcomes).toContain("sent");
      for (const result of results) {
        if (result.status === "rejected") expect(result.reason).toBeInstanceOf(ClaimHeld);
        else expect(["sent", "already-finished", "superseded"]).toContain(result.value.kind);
      }
    }
  });

  it("a live claim makes another attempt retry later without looking at Twilio or sending", async () => {
    const r = reply("L");
    const stalled = stalledDeps();
    const first = deliverReply(r, stalled.deps);
    await untilSent(r.to, 1);

    const second = deliverReply(r, h.outboundDeps);
    await expect(second).rejects.toBeInstanceOf(ClaimHeld);
    await expect(second).rejects.toMatchObject({ retryAfterSeconds: CLAIM_LEASE_MS / 1000 });
    expect(h.twilio.requests.filter((q) => q.method === "GET")).toEqual([]); // no reconciliation under a live lease

    stalled.answer();
    expect(await first).toMatchObject({ kind: "sent" });
    expect(sentTo(r.to).map((m) => m.body.slice(0, 6))).toEqual(["L part", "L part", "L part"]);
  });

  it("an attempt whose lease went stale stops at once when the attempt that took over recorded its chunk", async () => {
    const r = reply("S");
    const stalled = stalledDeps();
    const first = deliverReply(r, stalled.deps);
    await untilSent(r.to, 1); // chunk 1 accepted by Twilio, its sid not yet recorded

    h.clock.now += CLAIM_LEASE_MS + 1000; // the first attempt is presumed dead
    const second = await deliverReply(r, h.outboundDeps);
    // It found chunk 1 at Twilio instead of resending it, then sent chunks 2 and 3.
    expect(second).toEqual({ kind: "sent", sids: sentTo(r.to).map((m) => m.sid) });

    stalled.answer();
    expect(await first).toEqual({ kind: "superseded", reason: "chunk 0 was recorded by another attempt" });
    expect(sentTo(r.to).map((m) => m.body.slice(0, 8))).toEqual(["S part 1", "S part 2", "S part 3"]);
  });

  it("a transient failure releases the lease but keeps its chunk, so the next attempt reconciles at once", async () => {
    const r = reply("T");
    h.twilio.injectFault({ kind: "accept-then-fail", status: 502, skip: 1 }); // chunk 2 is accepted, then a 502
    await expect(deliverReply(r, h.outboundDeps)).rejects.toBeInstanceOf(RetryLater);
    expect((await progressOf(r)).claim).toEqual({ index: 1, at: h.clock.now, released: true, ambiguous: true });

    expect(await deliverReply(r, h.outboundDeps)).toMatchObject({ kind: "sent" }); // same clock: no lease in the way
    expect(sentTo(r.to).map((m) => m.body.slice(0, 8))).toEqual(["T part 1", "T part 2", "T part 3"]);
  });
});
