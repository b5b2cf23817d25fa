import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fault } from "../../infra/local/twilio-stand-in.ts";
import type { RecordOutcome } from "../../lib/outbound/process-reply-record.ts";
import type { Reply } from "../../lib/queue/messages.ts";
import { renderSmsBodies } from "../../lib/text/index.ts";
import { type Harness, startHarness } from "../support/flow-harness.ts";
import { seededRandom } from "../support/seeded-random.ts";

const SID = `AC${"4".repeat(32)}`;
const CHUNK_LIMIT = 160;
const RECIPIENTS = ["+15559990001", "+15559990002"];
const REPLIES_PER_RECIPIENT = 24;
const SEED = 20261123;
const MAX_POLLS = 600;

const LOREM = "lorem ipsum dolor sit amet ".repeat(4).trim();
/** What the agent says, again and again: one chunk, two different chunks, three identical chunks. */
const TEXTS = [
  ["ok, noted", 5],
  [`Same part 1: ${LOREM}.\n\nSame part 2: ${LOREM}.`, 2],
  [[1, 2, 3].map(() => `ok, noted: ${LOREM}.`).join("\n\n"), 2],
] as const;

/** Every fault the stand-in can inject on a create; "http 500" is Twilio failing before it creates anything. */
const FAULTS: ReadonlyArray<readonly [Fault, number]> = [
  [{ kind: "http", status: 500 }, 6],
  [{ kind: "http", status: 503 }, 3],
  [{ kind: "http", status: 429 }, 2],
  [{ kind: "accept-then-fail", status: 502 }, 4],
  [{ kind: "accept-then-drop" }, 4],
  // The harness's Twilio client gives up after 1 s; rare, since each costs a second of wall time.
  [{ kind: "delay", ms: 1_100 }, 1],
];

describe("a Twilio fault storm with identical replies: each reply arrives once, in order", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(
      { accountSid: SID, authToken: "storm-token", fromNumber: "+15552220009", textChunkLimit: CHUNK_LIMIT },
      // Twilio dates messages by the harness clock; no backoff and plenty of attempts, so the storm settles fast.
      { twilioOnHarnessClock: true, outbound: { retryDelaySeconds: () => 0, maxAttempts: 1_000 } },
    );
  });
  afterAll(() => h.stop());

  it(`seed ${SEED}: ${REPLIES_PER_RECIPIENT} replies to each of ${RECIPIENTS.length} recipients`, async () => {
    const random = seededRandom(SEED);
    const replies: Reply[] = [];
    for (let n = 0; n < REPLIES_PER_RECIPIENT; n++) {
      for (const to of RECIPIENTS) {
        const text = random.weighted(TEXTS.map(([value, weight]) => [value, weight] as const));
        replies.push({ version: 1, replyId: `storm:${to.slice(1)}:${n}`, account: "default", to, text });
      }
    }
    for (const reply of replies) await h.inboundDeps.queues.sendReply(reply);

    const outcomes: RecordOutcome[] = [];
    for (let poll = 0; (await h.queueDepth(h.aws.queueUrls.replies)) > 0; poll++) {
      if (poll === MAX_POLLS) throw new Error(`not settled after ${MAX_POLLS} polls`);
      // A batch holds up to 10 replies: a few faults, each after a few creates that go through.
      h.twilio.clearFaults();
      for (let n = random.int(1, 5); n > 0; n--) {
        h.twilio.injectFault({ ...random.weighted(FAULTS), skip: random.int(0, 2) });
      }
      outcomes.push(...(await h.deliverReplies()));
      h.clock.now += random.int(0, 2_500); // replies land within seconds of each other: inside the 5 s skew window
    }

    // The storm did storm: many creates were refused, and many ambiguous ones were looked up at Twilio.
    const creates = h.twilio.requests.filter((request) => request.method === "POST").length;
    const lookups = h.twilio.requests.filter((request) => request.method === "GET").length;
    expect({ refused: creates - h.twilio.messages.length >= 10, lookedUp: lookups >= 10 }).toEqual({
      refused: true,
      lookedUp: true,
    });
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(replies.map(() => "sent"));
    expect(await h.queueDepth(h.aws.queueUrls.repliesDlq)).toBe(0);
    for (const to of RECIPIENTS) {
      const mine = replies.filter((reply) => reply.to === to);
      const expected = mine.flatMap((reply) => renderSmsBodies(reply.text, { chunkLimit: CHUNK_LIMIT }));
      const sent = h.twilio.messages.filter((message) => message.to === to);
      // Exactly the expected messages, in reply order: nothing lost, nothing twice.
      expect(sent.map((message) => message.body)).toEqual(expected);
      // And each reply recorded exactly its own messages.
      const recorded: string[] = [];
      for (const reply of mine) {
        const { progress } = await h.outboundDeps.replies.readProgressAndOptOut("default", reply.replyId, to);
        expect(progress.finalState).toBe("sent");
        recorded.push(...progress.sids);
      }
      expect(recorded).toEqual(sent.map((message) => message.sid));
    }
  }, 120_000); // a long run on a shared 2-core machine; nothing in it is timed
});
