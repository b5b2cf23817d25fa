import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Fault } from "../../infra/local/twilio-stand-in.ts";
import { deliverReply, type OutboundDeps } from "../../lib/outbound/deliver-reply.ts";
import { RetryLater } from "../../lib/outbound/delivery-errors.ts";
import type { Reply } from "../../lib/queue/messages.ts";
import { StatusStore } from "../../lib/store/status-store.ts";
import { renderSmsBodies } from "../../lib/text/index.ts";
import { type Harness, startHarness } from "../support/flow-harness.ts";

const SID = `AC${"3".repeat(32)}`;
const LOREM = "lorem ipsum dolor sit amet ".repeat(4).trim();
const OK = "ok, noted";
const TWO_CHUNKS = `Same part 1: ${LOREM}.\n\nSame part 2: ${LOREM}.`;
const THREE_IDENTICAL_CHUNKS = [1, 2, 3].map(() => `ok, noted: ${LOREM}.`).join("\n\n");
let counter = 0;

describe("identical replies to one recipient each arrive, once (issue 7)", () => {
  let h: Harness;
  let statuses: StatusStore;

  beforeAll(async () => {
    h = await startHarness(
      { accountSid: SID, authToken: "identical-token", fromNumber: "+15552220007", textChunkLimit: 160 },
      { twilioOnHarnessClock: true, outbound: { retryDelaySeconds: () => 0, maxAttempts: 10 } },
    );
    statuses = new StatusStore(h.aws.dynamo, h.aws.tableName);
  });
  afterAll(() => h.stop());
  beforeEach(() => h.twilio.clearFaults());

  function reply(text: string, to: string): Reply {
    counter++;
    return { version: 1, replyId: `identical:${counter}`, account: "default", to, text };
  }
  const recipient = () => `+1555888${String(++counter).padStart(4, "0")}`;
  const sentTo = (to: string) => h.twilio.messages.filter((m) => m.to === to);
  const sidsOf = async (r: Reply) =>
    (await h.outboundDeps.replies.readProgressAndOptOut(r.account, r.replyId, r.to)).progress.sids;

  /** Polls the replies queue through the batch processor until it is empty, a second of harness time apart. */
  async function drain(): Promise<void> {
    for (let poll = 0; (await h.queueDepth(h.aws.queueUrls.replies)) > 0; poll++) {
      if (poll === 50) throw new Error("replies queue did not drain");
      await h.deliverReplies();
      h.clock.now += 1_000; // well inside the 5 s window in which reconciliation accepts a message
    }
  }

  it.each([
    ["'ok, noted' twice", OK, 1],
    ["a two-chunk reply twice, the second one's chunk 2", TWO_CHUNKS, 3],
    ["three identical chunks twice, the second one's chunk 2", THREE_IDENTICAL_CHUNKS, 4],
  ])("%s: Twilio answers 500 without creating it; the retry sends it", async (_, text, creates) => {
    const to = recipient();
    const first = reply(text, to);
    const second = reply(text, to);
    const fault: Fault = { kind: "http", status: 500, skip: creates };
    h.twilio.injectFault(fault);
    await h.inboundDeps.queues.sendReply(first);
    await h.inboundDeps.queues.sendReply(second);
    await drain();

    const chunks = renderSmsBodies(text, { chunkLimit: 160 });
    const messages = sentTo(to);
    expect(messages.map((m) => m.body)).toEqual([...chunks, ...chunks]);
    expect(await sidsOf(first)).toEqual(messages.slice(0, chunks.length).map((m) => m.sid));
    expect(await sidsOf(second)).toEqual(messages.slice(chunks.length).map((m) => m.sid));
    expect(await h.queueDepth(h.aws.queueUrls.repliesDlq)).toBe(0);
  });

  it("records each sent chunk's owner and the status Twilio answered the send with", async () => {
    const r = reply(TWO_CHUNKS, recipient());
    const outcome = await deliverReply(r, h.outboundDeps);
    const sids = sentTo(r.to).map((m) => m.sid);
    expect(outcome).toEqual({ kind: "sent", sids });
    for (const sid of sids) expect(await statuses.read(sid)).toEqual({ status: "queued", errorCode: "" });
    expect(await statuses.owners(sids)).toEqual(
      new Map(sids.map((sid, chunk) => [sid, { accountId: "default", replyId: r.replyId, chunk }])),
    );
  });

  it("an ambiguous send found at Twilio becomes this chunk's, so a later identical reply cannot take it", async () => {
    const to = recipient();
    const first = reply(OK, to);
    h.twilio.injectFault({ kind: "accept-then-drop" });
    await expect(deliverReply(first, h.outboundDeps)).rejects.toBeInstanceOf(RetryLater);
    expect(await deliverReply(first, h.outboundDeps)).toMatchObject({ kind: "sent" }); // adopted, not resent
    const [adopted] = sentTo(to);
    expect(await statuses.owners([adopted?.sid ?? ""])).toEqual(
      new Map([[adopted?.sid, { accountId: "default", replyId: first.replyId, chunk: 0 }]]),
    );
    expect(await statuses.read(adopted?.sid ?? "")).toEqual({ status: "queued", errorCode: "" });
  });

  it("a crash after the owner is marked but before the sid is recorded: the retry adopts its own message", async () => {
    const to = recipient();
    const earlier = reply(OK, to);
    const crashing = reply(OK, to);
    expect(await deliverReply(earlier, h.outboundDeps)).toMatchObject({ kind: "sent" });
    const crashOnRecord: OutboundDeps = {
      ...h.outboundDeps,
      replies: Object.assign(Object.create(h.outboundDeps.replies), {
        recordSent: () => Promise.reject(new Error("the function died here")),
      }),
    };
    await expect(deliverReply(crashing, crashOnRecord)).rejects.toThrow("the function died here");
    expect(await deliverReply(crashing, h.outboundDeps)).toMatchObject({ kind: "sent" });
    const messages = sentTo(to);
    expect(messages.map((m) => m.body)).toEqual([OK, OK]);
    expect(await sidsOf(earlier)).toEqual([messages[0]?.sid]);
    expect(await sidsOf(crashing)).toEqual([messages[1]?.sid]);
  });

  it("costs per chunk: a claim, the owner with the send's status, the sid (3 UpdateItem); 1 read per attempt", async () => {
    const calls: string[] = [];
    h.aws.dynamo.middlewareStack.add(
      (next, context) => async (args) => {
        calls.push(String(context.commandName));
        return next(args);
      },
      { step: "initialize", name: "countDynamoCalls" },
    );
    try {
      const count = () => {
        const counts = Object.fromEntries(calls.map((name) => [name, calls.filter((c) => c === name).length]));
        calls.length = 0;
        return counts;
      };
      const to = recipient();
      await deliverReply(reply(THREE_IDENTICAL_CHUNKS, to), h.outboundDeps);
      // Progress + opt-out read; 3 x (claim, owner + status, sid); finish.
      expect(count()).toEqual({ BatchGetItemCommand: 1, UpdateItemCommand: 10 });

      const interrupted = reply(OK, to);
      h.twilio.injectFault({ kind: "accept-then-fail", status: 502 });
      await expect(deliverReply(interrupted, h.outboundDeps)).rejects.toBeInstanceOf(RetryLater);
      expect(count()).toEqual({ BatchGetItemCommand: 1, UpdateItemCommand: 2 }); // read; claim, release
      await deliverReply(interrupted, h.outboundDeps);
      // Read; the candidates' owners (one BatchGetItem, whatever their number); adopt, sid, finish.
      expect(count()).toEqual({ BatchGetItemCommand: 2, UpdateItemCommand: 3 });
    } finally {
      h.aws.dynamo.middlewareStack.remove("countDynamoCalls");
    }
  });
});
