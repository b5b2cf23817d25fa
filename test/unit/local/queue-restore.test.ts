import { describe, expect, it } from "vitest";
import type { QueueUrls } from "../../../infra/local/channel-queues.ts";
import { type Fields, SqsCallError } from "../../../infra/local/fauxqs-access.ts";
import type { QueuedMessage } from "../../../infra/local/queue-journal-records.ts";
import { requeue } from "../../../infra/local/queue-restore.ts";

const urls: QueueUrls = {
  turns: "u/turns",
  turnsDlq: "u/turns-dlq",
  replies: "u/replies",
  repliesDlq: "u/replies-dlq",
};

/** A FIFO stand-in for fauxqs: remembers dedupe ids per queue, refuses sends without a group. */
function fauxFifo() {
  const sent: Fields[] = [];
  const seen = new Map<string, string>();
  const call = async (_action: string, body: Fields): Promise<Fields> => {
    if (!body.MessageGroupId)
      throw new SqsCallError("SendMessage", "The request must contain the parameter MessageGroupId.");
    const key = `${body.QueueUrl} ${body.MessageDeduplicationId}`;
    const known = seen.get(key);
    if (known) return { MessageId: known };
    const id = `id-${sent.length}`;
    seen.set(key, id);
    sent.push(body);
    return { MessageId: id };
  };
  return { call, sent };
}

const message = (body: string, extra: Partial<QueuedMessage> = {}): QueuedMessage => ({
  queue: "turns",
  body,
  groupId: "g",
  dedupeId: body,
  ...extra,
});

describe("queueing the journal's messages again", () => {
  it("sends each in order and counts what the queues now hold", async () => {
    const { call, sent } = fauxFifo();
    const result = await requeue(call, urls, [message("a"), message("b", { queue: "replies" })]);
    expect(result).toEqual({ requeued: 2, setAside: [] });
    expect(sent.map((body) => [body.QueueUrl, body.MessageBody])).toEqual([
      ["u/turns", "a"],
      ["u/replies", "b"],
    ]);
  });

  it("sets aside, with fauxqs's reason, what it refuses, and goes on", async () => {
    const { call, sent } = fauxFifo();
    const groupless = message("groupless", { groupId: undefined });
    const result = await requeue(call, urls, [message("a"), groupless, message("b")]);
    expect(result.requeued).toBe(2);
    expect(result.setAside).toEqual([
      { message: groupless, reason: "The request must contain the parameter MessageGroupId." },
    ]);
    expect(sent.map((body) => body.MessageBody)).toEqual(["a", "b"]);
  });

  it("sets aside a message for a queue the channel does not have", async () => {
    const { call } = fauxFifo();
    const stray = message("x", { queue: "constructor" as QueuedMessage["queue"] });
    expect((await requeue(call, urls, [stray])).setAside).toEqual([
      { message: stray, reason: `"constructor" is not one of the channel's queues` },
    ]);
  });

  it("stops the start on anything but an answer from fauxqs", async () => {
    const broken = async () => {
      throw new TypeError("not an SQS answer");
    };
    await expect(requeue(broken, urls, [message("a")])).rejects.toThrow("not an SQS answer");
  });

  it("queues a later message that shares a dedupe id under a suffixed one, keeping to 128 characters", async () => {
    const { call, sent } = fauxFifo();
    const long = "x".repeat(128);
    const backlog = [
      message("first", { dedupeId: "same" }),
      message("second", { dedupeId: "same" }),
      message("second-restored", { dedupeId: "same-restored-1" }),
      message("third", { dedupeId: "same" }),
      message("long-1", { dedupeId: long }),
      message("long-2", { dedupeId: long }),
    ];
    expect((await requeue(call, urls, backlog)).requeued).toBe(6);
    expect(sent.map((body) => [body.MessageBody, body.MessageDeduplicationId])).toEqual([
      ["first", "same"],
      ["second", "same-restored-1"],
      ["second-restored", "same-restored-1-restored-1"],
      ["third", "same-restored-2"],
      ["long-1", long],
      ["long-2", `${"x".repeat(117)}-restored-1`],
    ]);
    expect(String(sent.at(-1)?.MessageDeduplicationId)).toHaveLength(128);
  });
});
