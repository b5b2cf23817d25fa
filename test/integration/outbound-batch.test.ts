import type { SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { localLambdaContext } from "../../infra/local/lambda-context.ts";
import { processReplyBatch, type ReplyBatchDeps } from "../../lib/outbound/process-reply-batch.ts";
import { replyGroupId } from "../../lib/queue/dedupe-id.ts";
import type { Reply } from "../../lib/queue/messages.ts";
import { type Harness, startHarness } from "../support/flow-harness.ts";

const SID = `AC${"6".repeat(32)}`;
let counter = 0;

/** Two paragraphs that cannot share one 160-character message: two chunks. */
function twoParagraphs(tag: string): string {
  return [1, 2].map((n) => `${tag} part ${n}: ${"lorem ipsum dolor sit amet ".repeat(4).trim()}.`).join("\n\n");
}

function reply(text: string, to: string): Reply {
  counter++;
  return { version: 1, replyId: `batch:${counter}`, account: "default", to, text };
}

/**
 * The record a Lambda event source mapping hands over. Built by hand because fauxqs returns at most one message
 * per FIFO group per receive, while SQS may put several of one group into a batch: the case under test.
 */
function record(r: Reply, receiveCount: number): SQSRecord {
  return {
    messageId: `msg-${r.replyId}`,
    receiptHandle: `rh-${r.replyId}-${receiveCount}`,
    body: JSON.stringify(r),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: "0",
      SenderId: "test",
      ApproximateFirstReceiveTimestamp: "0",
      MessageGroupId: replyGroupId(r.account, r.to),
      MessageDeduplicationId: r.replyId,
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:sms-channel-replies.fifo",
    awsRegion: "us-east-1",
  };
}

describe("a replies batch with several replies in one FIFO group (processReplyBatch, dynalite, Twilio stand-in)", () => {
  let h: Harness;
  let deps: ReplyBatchDeps;
  const postponed: Array<{ receiptHandle: string; seconds: number }> = [];

  beforeAll(async () => {
    h = await startHarness({
      accountSid: SID,
      authToken: "batch-token",
      fromNumber: "+15552220001",
      textChunkLimit: 160,
    });
    deps = {
      ...h.outboundDeps,
      retryDelaySeconds: (attempts) => 5 * attempts, // distinct values, so the test sees whose backoff was applied
      postpone: async (r, seconds) => {
        postponed.push({ receiptHandle: r.receiptHandle, seconds });
      },
    };
  });
  afterAll(() => h.stop());
  beforeEach(() => {
    h.twilio.clearFaults();
    postponed.length = 0;
  });

  const batch = (...records: SQSRecord[]) =>
    processReplyBatch({ Records: records }, localLambdaContext("outbound"), deps);
  const tagsTo = (to: string) => h.twilio.messages.filter((m) => m.to === to).map((m) => m.body.slice(0, 8));

  it("the first of two replies fails once (429): both get its backoff, then go out in order, once, none dead-lettered", async () => {
    const to = "+15554440001";
    const first = reply(twoParagraphs("P"), to);
    const second = reply(twoParagraphs("Q"), to);
    h.twilio.injectFault({ kind: "http", status: 429, code: 20429 });

    const failed = await batch(record(first, 1), record(second, 1));
    expect(failed.response.batchItemFailures).toEqual([
      { itemIdentifier: `msg-${first.replyId}` },
      { itemIdentifier: `msg-${second.replyId}` },
    ]);
    expect(failed.settled).toEqual([]);
    // The skipped reply comes back with the failed one, after the failed one's first backoff, not the visibility timeout.
    expect(postponed).toEqual([
      { receiptHandle: `rh-${first.replyId}-1`, seconds: 5 },
      { receiptHandle: `rh-${second.replyId}-1`, seconds: 5 },
    ]);
    expect(tagsTo(to)).toEqual([]);

    const retried = await batch(record(first, 2), record(second, 2));
    expect(retried.response.batchItemFailures).toEqual([]);
    expect(retried.settled).toEqual([
      { kind: "sent", sids: [expect.any(String), expect.any(String)] },
      { kind: "sent", sids: [expect.any(String), expect.any(String)] },
    ]);
    expect(tagsTo(to)).toEqual(["P part 1", "P part 2", "Q part 1", "Q part 2"]);
    expect(await h.queueDepth(h.aws.queueUrls.repliesDlq)).toBe(0);
  });

  it("another recipient's reply in the batch still goes out and is not postponed", async () => {
    const first = reply("to the first recipient", "+15554440003");
    const other = reply("to another recipient", "+15554440004");
    const second = reply("to the first recipient again", "+15554440003");
    h.twilio.injectFault({ kind: "http", status: 503, code: 20503 });

    const result = await batch(record(first, 1), record(other, 1), record(second, 1));
    expect(result.response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      `msg-${first.replyId}`,
      `msg-${second.replyId}`,
    ]);
    expect(result.settled).toEqual([{ kind: "sent", sids: [expect.any(String)] }]);
    expect(postponed.map((p) => p.receiptHandle)).toEqual([`rh-${first.replyId}-1`, `rh-${second.replyId}-1`]);
    expect(h.twilio.messages.filter((m) => m.to === other.to).map((m) => m.body)).toEqual(["to another recipient"]);
  });

  it("a reply skipped behind a failing one is not dead-lettered for receives it did not use", async () => {
    // The harness allows 3 attempts. The first reply fails twice while its group-mate is skipped; on the third
    // receive the first goes out and the second fails once: one attempt, so it is retried, not dead-lettered.
    const to = "+15554440002";
    const first = reply("first", to);
    const second = reply("second", to);
    h.twilio.injectFault({ kind: "http", status: 429, code: 20429, times: 2 });
    h.twilio.injectFault({ kind: "http", status: 503, code: 20503, skip: 1 }); // after "first" goes out

    for (const receive of [1, 2]) {
      expect((await batch(record(first, receive), record(second, receive))).settled).toEqual([]);
    }
    expect(postponed.map((p) => p.seconds)).toEqual([5, 5, 10, 10]); // the first reply's 1st and 2nd backoff
    const third = await batch(record(first, 3), record(second, 3));
    expect(third.settled).toEqual([{ kind: "sent", sids: [expect.any(String)] }]);
    expect(third.response.batchItemFailures).toEqual([{ itemIdentifier: `msg-${second.replyId}` }]);
    expect(postponed.at(-1)).toEqual({ receiptHandle: `rh-${second.replyId}-3`, seconds: 5 }); // its own 1st backoff

    expect((await batch(record(second, 4))).settled).toEqual([{ kind: "sent", sids: [expect.any(String)] }]);
    expect(h.twilio.messages.filter((m) => m.to === to).map((m) => m.body)).toEqual(["first", "second"]);
    expect(await h.queueDepth(h.aws.queueUrls.repliesDlq)).toBe(0);
  });

  it("a reply that fails on every attempt is dead-lettered after the configured attempts, with its reason", async () => {
    const r = reply("never makes it", "+15554440005");
    h.twilio.injectFault({ kind: "http", status: 503, code: 20503, times: 3 });
    for (const receive of [1, 2]) expect((await batch(record(r, receive))).settled).toEqual([]);
    expect((await batch(record(r, 3))).settled).toEqual([
      { kind: "dead-lettered", reason: expect.stringMatching(/^gave up after 3 attempts: Twilio 503/) },
    ]);
    expect(await h.queueDepth(h.aws.queueUrls.repliesDlq)).toBe(1);

    // Redriven from the DLQ by an operator, it gets a fresh set of attempts: one more failure only postpones it.
    h.twilio.injectFault({ kind: "http", status: 503, code: 20503 });
    const redriven = await batch(record(r, 1));
    expect(redriven.settled).toEqual([]);
    expect(redriven.postponed).toEqual([{ messageId: `msg-${r.replyId}`, delaySeconds: 5 }]);
    expect((await batch(record(r, 2))).settled).toEqual([{ kind: "sent", sids: [expect.any(String)] }]);
  });
});
