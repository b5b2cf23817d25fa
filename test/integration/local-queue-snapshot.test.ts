import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { startEmbeddedAws } from "../../infra/local/embedded-aws.ts";

describe("local queues survive a restart of the gateway (fauxqs is in memory)", () => {
  it("saves waiting, in-flight and dead-lettered messages and re-queues them in order with their attributes", async () => {
    const first = await startEmbeddedAws();
    const send = (queueUrl: string, body: string, group: string, extra: object = {}) =>
      first.sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          MessageGroupId: group,
          MessageDeduplicationId: body,
          ...extra,
        }),
      );
    await send(first.queueUrls.turns, "turn-1", "a");
    await send(first.queueUrls.turns, "turn-2", "a");
    await send(first.queueUrls.turns, "turn-3", "b");
    await send(first.queueUrls.repliesDlq, "dead-reply", "c", {
      MessageAttributes: { reason: { DataType: "String", StringValue: "gave up after 5 receives" } },
    });
    // One message in flight, as if a consumer was mid-way when Ctrl-C came.
    await first.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: first.queueUrls.turns, MaxNumberOfMessages: 1, VisibilityTimeout: 600 }),
    );
    const snapshot = JSON.parse(JSON.stringify(first.snapshotQueues()));
    await first.stop();

    const second = await startEmbeddedAws();
    try {
      expect(await second.restoreQueues(snapshot)).toBe(4);
      const bodies: string[] = [];
      for (;;) {
        const received = await second.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: second.queueUrls.turns,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 600,
          }),
        );
        if (!received.Messages?.length) break;
        for (const message of received.Messages) {
          bodies.push(message.Body ?? "");
          // Consume it: a FIFO group with a message in flight holds back the rest of the group.
          await second.sqs.send(
            new DeleteMessageCommand({ QueueUrl: second.queueUrls.turns, ReceiptHandle: message.ReceiptHandle }),
          );
        }
      }
      expect(bodies.filter((b) => b.startsWith("turn-")).sort()).toEqual(["turn-1", "turn-2", "turn-3"]);
      expect(bodies.indexOf("turn-1")).toBeLessThan(bodies.indexOf("turn-2"));
      const dead = await second.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: second.queueUrls.repliesDlq, MessageAttributeNames: ["All"] }),
      );
      expect(dead.Messages?.[0]?.Body).toBe("dead-reply");
      expect(dead.Messages?.[0]?.MessageAttributes?.reason?.StringValue).toBe("gave up after 5 receives");
    } finally {
      await second.stop();
    }
  });
});
