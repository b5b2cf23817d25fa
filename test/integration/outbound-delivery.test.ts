import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { processReplyRecord } from "../../lib/outbound/process-reply-record.ts";
import type { Reply } from "../../lib/queue/messages.ts";
import { type Harness, startHarness } from "../support/flow-harness.ts";
import { validateCreateMessageParams } from "../support/twilio-spec.ts";

const SID = `AC${"5".repeat(32)}`;
const FROM = "+15552220000";
let counter = 0;

/** Three paragraphs that cannot share one 160-character message: three chunks, in this order. */
function threeParagraphs(tag: string): string {
  return [1, 2, 3].map((n) => `${tag} part ${n}: ${"lorem ipsum dolor sit amet ".repeat(4).trim()}.`).join("\n\n");
}

describe("replies arrive exactly once, in order (outbound, fauxqs, dynalite, Twilio stand-in with faults)", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ accountSid: SID, authToken: "outbound-token", fromNumber: FROM, textChunkLimit: 160 });
  });
  afterAll(() => h.stop());
  beforeEach(() => {
    h.twilio.clearFaults();
    h.twilio.messages.length = 0;
    h.twilio.requests.length = 0;
  });

  function reply(text: string, extra: Partial<Reply> = {}): Reply {
    counter++;
    return {
      version: 1,
      replyId: `test:${counter}`,
      account: "default",
      to: `+1555333${String(counter).padStart(4, "0")}`,
      text,
      ...extra,
    };
  }

  /** Polls the replies queue like the event source mapping until it is empty (failed records come back after 1 s). */
  async function deliverUntilDrained(maxPolls = 12) {
    const outcomes = [];
    for (let poll = 0; poll < maxPolls; poll++) {
      outcomes.push(...(await h.deliverReplies()));
      if ((await h.queueDepth(h.aws.queueUrls.replies)) === 0) return outcomes;
      await new Promise((resolve) => setTimeout(resolve, 1100));
    }
    throw new Error("replies queue did not drain");
  }

  const bodiesTo = (to: string) => h.twilio.messages.filter((m) => m.to === to).map((m) => m.body);

  it("sends a long reply as ordered chunks within the limit, once, with From and StatusCallback", async () => {
    const r = reply(threeParagraphs("A"));
    await h.inboundDeps.queues.sendReply(r);
    await deliverUntilDrained();
    const bodies = bodiesTo(r.to);
    expect(bodies).toHaveLength(3);
    expect(bodies.map((b) => b.slice(0, 8))).toEqual(["A part 1", "A part 2", "A part 3"]);
    for (const body of bodies) expect(body.length).toBeLessThanOrEqual(160);
    for (const request of h.twilio.requests.filter((q) => q.method === "POST")) {
      expect(validateCreateMessageParams(request.params)).toEqual([]);
      expect(request.params.StatusCallback).toEqual([
        "https://abc123.execute-api.us-east-1.amazonaws.com/prod/webhooks/sms#rp=5xx,ct,rt&rt=5000&rc=5",
      ]);
    }
  });

  it("a redelivered reply (same replyId) sends nothing again", async () => {
    const r = reply(threeParagraphs("B"));
    await h.inboundDeps.queues.sendReply(r);
    await deliverUntilDrained();
    // SQS dedupe only lasts 5 minutes; a later redelivery (or a Lambda retry) must still be a no-op.
    const record = { ...fakeRecord(r), attributes: { ...fakeRecord(r).attributes, ApproximateReceiveCount: "2" } };
    expect(await processReplyRecord(record, h.outboundDeps)).toEqual({ kind: "already-finished", state: "sent" });
    expect(bodiesTo(r.to)).toHaveLength(3);
  });

  it("429 then success: retried after the backoff without re-sending accepted chunks", async () => {
    const r = reply(threeParagraphs("C"));
    await h.inboundDeps.queues.sendReply(r);
    h.twilio.injectFault({ kind: "http", status: 429, code: 20429 });
    const visibilityChanges: unknown[] = [];
    h.aws.sqs.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { VisibilityTimeout?: number; ReceiptHandle?: string };
        if (input.ReceiptHandle && input.VisibilityTimeout !== undefined)
          visibilityChanges.push(input.VisibilityTimeout);
        return next(args);
      },
      { step: "initialize", name: "recordVisibilityChanges" },
    );
    const outcomes = await deliverUntilDrained();
    h.aws.sqs.middlewareStack.remove("recordVisibilityChanges");
    expect(visibilityChanges).toEqual([1]); // the harness's backoff schedule answers 1 s
    expect(bodiesTo(r.to).map((b) => b.slice(0, 8))).toEqual(["C part 1", "C part 2", "C part 3"]);
    expect(outcomes.at(-1)).toMatchObject({ kind: "sent" });
  });

  it("a 500 on the second chunk resumes at the second chunk", async () => {
    const r = reply(threeParagraphs("D"));
    await h.inboundDeps.queues.sendReply(r);
    h.twilio.injectFault({ kind: "http", status: 500, code: 20500, skip: 1 }); // chunk 1 goes out, chunk 2 fails once
    expect(await h.deliverReplies()).toEqual([]); // a batch item failure: the reply stays queued
    expect(bodiesTo(r.to).map((b) => b.slice(0, 8))).toEqual(["D part 1"]);
    await deliverUntilDrained();
    expect(bodiesTo(r.to).map((b) => b.slice(0, 8))).toEqual(["D part 1", "D part 2", "D part 3"]);
  });

  it("a timeout after Twilio accepted the chunk is reconciled, not re-sent", async () => {
    const r = reply(threeParagraphs("E"));
    await h.inboundDeps.queues.sendReply(r);
    h.twilio.injectFault({ kind: "delay", ms: 1500 }); // client timeout is 1 s; the message is accepted at once
    await deliverUntilDrained();
    expect(bodiesTo(r.to).map((b) => b.slice(0, 8))).toEqual(["E part 1", "E part 2", "E part 3"]);
  });

  it("an accepted-then-500 chunk (ambiguous) is reconciled, not re-sent", async () => {
    const r = reply(threeParagraphs("F"));
    await h.inboundDeps.queues.sendReply(r);
    h.twilio.injectFault({ kind: "accept-then-fail", status: 502 });
    await deliverUntilDrained();
    expect(bodiesTo(r.to).map((b) => b.slice(0, 8))).toEqual(["F part 1", "F part 2", "F part 3"]);
  });

  it("21610 marks the number opted out, is recorded, not retried, and later replies make no Twilio call", async () => {
    const r = reply("hello");
    await h.inboundDeps.queues.sendReply(r);
    h.twilio.injectFault({
      kind: "http",
      status: 400,
      code: 21610,
      message: "Attempt to send to unsubscribed recipient",
    });
    const outcomes = await deliverUntilDrained();
    expect(outcomes).toEqual([{ kind: "refused", reason: "recipient opted out (21610)" }]);
    expect(await h.outboundDeps.optOuts.optIn("default", r.to)).toBe(true); // it was recorded (and is cleared now)
    await h.outboundDeps.optOuts.optOut("default", r.to, h.clock.now);

    const next = reply("are you there?", { to: r.to });
    await h.inboundDeps.queues.sendReply(next);
    expect(await deliverUntilDrained()).toEqual([{ kind: "refused", reason: "recipient opted out" }]);
    expect(h.twilio.requests.filter((q) => q.method === "POST")).toHaveLength(1);
    expect(await h.queueDepth(h.aws.queueUrls.repliesDlq)).toBe(0);
  });

  it("another 21xxx error is terminal: recorded as failed, not retried, not dead-lettered", async () => {
    const r = reply("hello");
    await h.inboundDeps.queues.sendReply(r);
    h.twilio.injectFault({ kind: "http", status: 400, code: 21211, message: "Invalid 'To' Phone Number" });
    const outcomes = await deliverUntilDrained();
    expect(outcomes).toEqual([{ kind: "failed", reason: expect.stringContaining("21211") }]);
    expect(h.twilio.requests.filter((q) => q.method === "POST")).toHaveLength(1);
    expect(await h.queueDepth(h.aws.queueUrls.repliesDlq)).toBe(0);
  });

  it("a reply that is nothing but reasoning sends nothing and says why; around an answer, only the answer goes", async () => {
    const thinking = reply("<think>The user wants the forecast. I should call the weather tool first.</think>");
    await h.inboundDeps.queues.sendReply(thinking);
    expect(await deliverUntilDrained()).toEqual([
      { kind: "failed", reason: expect.stringMatching(/nothing but reasoning/) },
    ]);
    expect(bodiesTo(thinking.to)).toEqual([]);
    const answer = reply("<thinking>check the API</thinking>\n\nRain after 3pm.<!-- tool: weather -->");
    await h.inboundDeps.queues.sendReply(answer);
    expect(await deliverUntilDrained()).toEqual([{ kind: "sent", sids: [expect.any(String)] }]);
    expect(bodiesTo(answer.to)).toEqual(["Rain after 3pm."]);
  });

  it("20003 re-reads the token once and then sends", async () => {
    const r = reply("after a token rotation");
    await h.inboundDeps.queues.sendReply(r);
    h.twilio.injectFault({ kind: "http", status: 401, code: 20003 });
    expect(await deliverUntilDrained()).toEqual([{ kind: "sent", sids: [expect.any(String)] }]);
    expect(bodiesTo(r.to)).toEqual(["after a token rotation"]);
  });

  it("media go with the first chunk only", async () => {
    const r = reply(threeParagraphs("G"), { media: ["https://cdn.example/cat.jpg", "https://cdn.example/dog.png"] });
    await h.inboundDeps.queues.sendReply(r);
    await deliverUntilDrained();
    const sent = h.twilio.messages.filter((m) => m.to === r.to);
    expect(sent.map((m) => m.mediaUrls)).toEqual([
      ["https://cdn.example/cat.jpg", "https://cdn.example/dog.png"],
      [],
      [],
    ]);
  });

  it("a reply that keeps failing goes to the DLQ with its reason after the configured attempts", async () => {
    const r = reply("never makes it");
    await h.inboundDeps.queues.sendReply(r);
    h.twilio.injectFault({ kind: "http", status: 503, code: 20503, times: 10 });
    const outcomes = await deliverUntilDrained();
    expect(outcomes.at(-1)).toMatchObject({
      kind: "dead-lettered",
      reason: expect.stringMatching(/gave up after 3 attempts/),
    });
    const dead = await h.aws.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: h.aws.queueUrls.repliesDlq,
        MessageAttributeNames: ["All"],
        WaitTimeSeconds: 0,
      }),
    );
    expect(dead.Messages).toHaveLength(1);
    expect(JSON.parse(dead.Messages?.[0]?.Body ?? "{}")).toMatchObject({ replyId: r.replyId });
    expect(dead.Messages?.[0]?.MessageAttributes?.reason?.StringValue).toMatch(/Twilio 503/);
    expect(bodiesTo(r.to)).toEqual([]);
    h.twilio.clearFaults();
  });

  it("a malformed reply goes straight to the DLQ naming the field", async () => {
    await h.inboundDeps.queues.sendReply({ ...reply("x"), to: "not-a-number" } as Reply);
    const outcomes = await deliverUntilDrained();
    expect(outcomes).toEqual([
      { kind: "dead-lettered", reason: expect.stringContaining("reply.to: expected an E.164 number") },
    ]);
  });
});

function fakeRecord(reply: Reply) {
  return {
    messageId: `m-${reply.replyId}`,
    receiptHandle: "r",
    body: JSON.stringify(reply),
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: "0",
      SenderId: "test",
      ApproximateFirstReceiveTimestamp: "0",
      MessageGroupId: `default:${reply.to}`,
      MessageDeduplicationId: reply.replyId,
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:replies.fifo",
    awsRegion: "us-east-1",
  };
}
