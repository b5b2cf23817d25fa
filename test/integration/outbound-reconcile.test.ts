import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTwilioStandIn, type TwilioStandIn } from "../../infra/local/twilio-stand-in.ts";
import { deliverReply, type OutboundDeps } from "../../lib/outbound/deliver-reply.ts";
import { RetryLater } from "../../lib/outbound/delivery-errors.ts";
import type { Reply } from "../../lib/queue/messages.ts";
import { createTwilioRestClient } from "../../lib/twilio/rest-client.ts";
import { type Harness, startHarness } from "../support/flow-harness.ts";

const SID = `AC${"8".repeat(32)}`;
const TOKEN = "reconcile-token";
const ECHO = 'You said: "ok"';
let counter = 0;

describe("reconciling an interrupted chunk never takes an identical earlier reply's message for it", () => {
  let h: Harness;
  // A stand-in of our own that dates messages by the harness clock, so "how long ago" is under the test's control.
  let twilio: TwilioStandIn;
  let deps: OutboundDeps;

  beforeAll(async () => {
    h = await startHarness({ accountSid: SID, authToken: TOKEN, fromNumber: "+15552220003" });
    twilio = await startTwilioStandIn({ accounts: { [SID]: TOKEN }, now: () => new Date(h.clock.now) });
    deps = {
      ...h.outboundDeps,
      twilioFor: (account) => ({
        client: createTwilioRestClient({
          accountSid: account.accountSid,
          authToken: async () => TOKEN,
          baseUrl: twilio.url,
          timeoutMs: 1000,
        }),
        refreshToken: () => {},
        tokenLooksSet: async () => true,
      }),
    };
  });
  afterAll(async () => {
    await twilio.close();
    await h.stop();
  });
  beforeEach(() => twilio.clearFaults());

  function echo(to: string): Reply {
    counter++;
    return { version: 1, replyId: `reconcile:${counter}`, account: "default", to, text: ECHO };
  }

  const sentTo = (to: string) => twilio.messages.filter((m) => m.to === to);
  const sidsOf = async (r: Reply) =>
    (await deps.replies.readProgressAndOptOut(r.account, r.replyId, r.to)).progress.sids;

  /** The first echo goes out normally; the second, identical one, 30 s later, meets `fault` on its only chunk. */
  async function secondEchoMeets(fault: Parameters<TwilioStandIn["injectFault"]>[0], to: string) {
    const first = echo(to);
    expect(await deliverReply(first, deps)).toMatchObject({ kind: "sent" });
    h.clock.now += 30_000; // well outside the 5 s skew allowance, inside the old 60 s slack
    const second = echo(to);
    twilio.injectFault(fault);
    await expect(deliverReply(second, deps)).rejects.toBeInstanceOf(RetryLater);
    h.clock.now += 5_000; // the retry, after its backoff
    expect(await deliverReply(second, deps)).toMatchObject({ kind: "sent" });
    return { first, second };
  }

  it.each([
    ["accepted, then answered with a 502", { kind: "accept-then-fail", status: 502 } as const, "+15557770001"],
    ["accepted, answered after the client gave up", { kind: "delay", ms: 1500 } as const, "+15557770002"],
  ])("an ambiguous send (%s) is recorded as the new message, not the earlier identical one", async (_, fault, to) => {
    const { first, second } = await secondEchoMeets(fault, to);
    const messages = sentTo(to);
    expect(messages.map((m) => m.body)).toEqual([ECHO, ECHO]); // exactly one new message: reconciled, not resent
    expect(await sidsOf(first)).toEqual([messages[0]?.sid]);
    expect(await sidsOf(second)).toEqual([messages[1]?.sid]);
  });

  it("a send that never reached Twilio is resent, not matched to the earlier identical message", async () => {
    const to = "+15557770003";
    const { first, second } = await secondEchoMeets({ kind: "http", status: 500, code: 20500 }, to);
    const messages = sentTo(to);
    expect(messages.map((m) => m.body)).toEqual([ECHO, ECHO]); // without the window the second echo was never sent
    expect(await sidsOf(first)).toEqual([messages[0]?.sid]);
    expect(await sidsOf(second)).toEqual([messages[1]?.sid]);
  });
  it("after a definite refusal (429) the retry sends, even with an identical reply 2 s earlier", async () => {
    const to = "+15557770042";
    const first = echo(to);
    expect(await deliverReply(first, deps)).toMatchObject({ kind: "sent" });
    h.clock.now += 2_000; // inside the 5 s skew allowance: only the claim's "ambiguous" flag keeps them apart
    const second = echo(to);
    twilio.injectFault({ kind: "http", status: 429, code: 20429 });
    await expect(deliverReply(second, deps)).rejects.toBeInstanceOf(RetryLater);
    h.clock.now += 5_000;
    expect(await deliverReply(second, deps)).toMatchObject({ kind: "sent" });
    const messages = sentTo(to);
    expect(messages).toHaveLength(2);
    expect(await sidsOf(second)).toEqual([messages[1]?.sid]);
  });
});
