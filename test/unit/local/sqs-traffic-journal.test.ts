import { buildApp } from "fauxqs";
import { describe, expect, it } from "vitest";
import type { FauxqsApp } from "../../../infra/local/fauxqs-access.ts";
import type { JournaledMessage } from "../../../infra/local/queue-journal-records.ts";
import { RedriveWatch } from "../../../infra/local/redrive-watch.ts";
import { journalSqsTraffic } from "../../../infra/local/sqs-traffic-journal.ts";

const HOST = "127.0.0.1:4566";

interface Answer {
  QueueUrl: string;
  MessageId: string;
  Messages: Array<{ ReceiptHandle: string }>;
  Failed: Array<{ Id: string }>;
}

async function call(app: FauxqsApp, action: string, body: object): Promise<{ status: number; answer: Answer }> {
  const response = await app.inject({
    method: "POST",
    url: "/",
    headers: { host: HOST, "content-type": "application/x-amz-json-1.0", "x-amz-target": `AmazonSQS.${action}` },
    payload: JSON.stringify(body),
  });
  return { status: response.statusCode, answer: response.json() as Answer };
}

/** fauxqs with one journaled FIFO queue ("turns") and one that is not; the journal only records what it is told. */
async function journaledApp() {
  const sent: JournaledMessage[] = [];
  const deleted: string[] = [];
  let durable: () => Promise<void> = async () => {};
  const app = buildApp({ logger: false, host: "127.0.0.1" });
  let turnsUrl = "";
  journalSqsTraffic(app, {
    journal: {
      recordSend: (message) => sent.push(message),
      recordDelete: (id) => deleted.push(id),
      recordMove: () => {},
      durable: () => durable(),
      idsIn: () => [],
    },
    roleOf: (url) => (url === turnsUrl ? "turns" : undefined),
    redrive: new RedriveWatch({}),
    heldIn: async () => new Set(),
  });
  const fifo = { FifoQueue: "true", ContentBasedDeduplication: "false" };
  turnsUrl = (await call(app, "CreateQueue", { QueueName: "turns.fifo", Attributes: fifo })).answer.QueueUrl;
  const otherUrl = (await call(app, "CreateQueue", { QueueName: "other.fifo", Attributes: fifo })).answer.QueueUrl;
  return {
    app,
    turnsUrl,
    otherUrl,
    sent,
    deleted,
    setDurable: (next: () => Promise<void>) => {
      durable = next;
    },
  };
}

const message = (queueUrl: string, body: string) => ({
  QueueUrl: queueUrl,
  MessageBody: body,
  MessageGroupId: "g",
  MessageDeduplicationId: body,
  MessageAttributes: { kind: { DataType: "String", StringValue: "turn" } },
});

describe("journaling the embedded SQS traffic", () => {
  it("answers a SendMessage only after the journal says its record is durable", async () => {
    const { app, turnsUrl, sent, setDurable } = await journaledApp();
    let release: () => void = () => {};
    setDurable(() => new Promise<void>((resolve) => (release = resolve)));
    let answered = false;
    const sending = call(app, "SendMessage", message(turnsUrl, "hello")).then((result) => {
      answered = true;
      return result;
    });
    while (sent.length === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    release();
    const { status, answer } = await sending;
    expect(status).toBe(200);
    expect(sent).toEqual([
      {
        id: answer.MessageId,
        queue: "turns",
        body: "hello",
        groupId: "g",
        dedupeId: "hello",
        attributes: { kind: { DataType: "String", StringValue: "turn" } },
      },
    ]);
  });

  it("fails the send (the SDK retries) when the journal cannot write it", async () => {
    const { app, turnsUrl, setDurable } = await journaledApp();
    setDurable(async () => {
      throw new Error("ENOSPC");
    });
    expect((await call(app, "SendMessage", message(turnsUrl, "hello"))).status).toBe(500);
  });

  it("records each accepted entry of a batch, and nothing for queues that are not the channel's", async () => {
    const { app, turnsUrl, otherUrl, sent } = await journaledApp();
    const { answer } = await call(app, "SendMessageBatch", {
      QueueUrl: turnsUrl,
      Entries: [
        { Id: "one", ...message(turnsUrl, "first"), QueueUrl: undefined },
        { Id: "bad", MessageBody: "no group" },
        { Id: "two", ...message(turnsUrl, "second"), QueueUrl: undefined },
      ],
    });
    expect(answer.Failed.map((entry) => entry.Id)).toEqual(["bad"]);
    await call(app, "SendMessage", message(otherUrl, "elsewhere"));
    expect(sent.map((entry) => entry.body)).toEqual(["first", "second"]);
  });

  it("records a delete by the message its receipt handle names, and none for a handle a newer receive replaced", async () => {
    const { app, turnsUrl, sent, deleted } = await journaledApp();
    await call(app, "SendMessage", message(turnsUrl, "a"));
    const first = (await call(app, "ReceiveMessage", { QueueUrl: turnsUrl, VisibilityTimeout: 0 })).answer;
    const second = (await call(app, "ReceiveMessage", { QueueUrl: turnsUrl })).answer;
    await call(app, "DeleteMessage", { QueueUrl: turnsUrl, ReceiptHandle: first.Messages[0]?.ReceiptHandle });
    expect(deleted).toEqual([]);
    await call(app, "DeleteMessageBatch", {
      QueueUrl: turnsUrl,
      Entries: [{ Id: "x", ReceiptHandle: second.Messages[0]?.ReceiptHandle }],
    });
    expect(deleted).toEqual([sent[0]?.id]);
  });
});
