import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DeleteMessageCommand,
  type Message,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type EmbeddedAws, startEmbeddedAws } from "../../infra/local/embedded-aws.ts";
import { LEGACY_SNAPSHOT_FILE, QUEUE_JOURNAL_FILE, REJECTED_FILE } from "../../infra/local/embedded-sqs.ts";
import { journalLine } from "../../infra/local/queue-journal-file.ts";
import { JOURNAL_FORMAT, JOURNAL_VERSION, type JournaledMessage } from "../../infra/local/queue-journal-records.ts";
import { readLegacySnapshot } from "../../infra/local/queue-snapshot.ts";
import { TURNS_MAX_RECEIVE_COUNT } from "../../lib/config/turn-timing.ts";

const started: EmbeddedAws[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const aws of started.splice(0)) await aws.stop();
});

async function start(dir: string): Promise<EmbeddedAws> {
  const aws = await startEmbeddedAws({ queueJournalDir: dir });
  started.push(aws);
  return aws;
}

/** Stops a gateway's queues cleanly, once (afterEach skips it). */
async function stop(aws: EmbeddedAws): Promise<number> {
  started.splice(started.indexOf(aws), 1);
  return aws.stop();
}

const freshDir = () => mkdtempSync(join(tmpdir(), "sms-queues-"));

/** What `kill -9` leaves behind: the journal file as it is on disk right now, in a data dir of its own. */
function crashCopy(dir: string): string {
  const copy = freshDir();
  copyFileSync(join(dir, QUEUE_JOURNAL_FILE), join(copy, QUEUE_JOURNAL_FILE));
  return copy;
}

function send(sqs: SQSClient, queueUrl: string, body: string, group: string, extra: object = {}) {
  return sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: body,
      MessageGroupId: group,
      MessageDeduplicationId: body,
      ...extra,
    }),
  );
}

/** An SQS JSON-protocol request as any HTTP client can send it, X-Amz-Target included. */
async function rawSqs(aws: EmbeddedAws, target: string, body: object): Promise<{ status: number; text: string }> {
  const response = await fetch(aws.sqsEndpoint, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": target },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

/** A data dir whose journal holds these sends, as a crashed gateway leaves it. */
function crashedWith(messages: JournaledMessage[]): string {
  const dir = freshDir();
  const records = messages.map((message) => journalLine({ op: "send", ...message }));
  writeFileSync(
    join(dir, QUEUE_JOURNAL_FILE),
    [journalLine({ format: JOURNAL_FORMAT, version: JOURNAL_VERSION }), ...records].join(""),
  );
  return dir;
}

/** Receives and deletes everything a queue holds, in the order received, with each message's dedupe id. */
async function consume(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const consumed: Message[] = [];
  for (;;) {
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 600,
        MessageSystemAttributeNames: ["MessageDeduplicationId"],
      }),
    );
    if (!received.Messages?.length) return consumed;
    for (const message of received.Messages) {
      consumed.push(message);
      // Consumed: a FIFO group with a message in flight holds back the rest of the group.
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
}

/** Bodies of everything a queue holds, in the order received (and consumed). */
async function drain(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  return (await consume(sqs, queueUrl)).map((message) => message.Body ?? "");
}

/** Receives a message past the turns queue's maxReceiveCount: fauxqs's redrive moves it to the DLQ. */
async function redrive(aws: EmbeddedAws, body: string): Promise<void> {
  await send(aws.sqs, aws.queueUrls.turns, body, `group-${body}`);
  for (let receive = 1; receive <= TURNS_MAX_RECEIVE_COUNT + 1; receive++) {
    await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: aws.queueUrls.turns, VisibilityTimeout: 0 }));
  }
}

describe("local queues survive restarts of the gateway (fauxqs is in memory; the queue journal is not)", () => {
  it("a clean stop keeps waiting, in-flight and dead-lettered messages, in order, with their attributes", async () => {
    const dir = freshDir();
    const first = await start(dir);
    await redrive(first, "poison");
    await send(first.sqs, first.queueUrls.turns, "turn-1", "a");
    await send(first.sqs, first.queueUrls.turns, "turn-2", "a");
    await send(first.sqs, first.queueUrls.turns, "turn-3", "b");
    await send(first.sqs, first.queueUrls.repliesDlq, "dead-reply", "c", {
      MessageAttributes: { reason: { DataType: "String", StringValue: "gave up after 5 receives" } },
    });
    // One message in flight, as if a consumer was mid-way when Ctrl-C came.
    await first.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: first.queueUrls.turns, MaxNumberOfMessages: 1, VisibilityTimeout: 600 }),
    );
    expect(await stop(first)).toBe(5);

    const second = await start(dir);
    expect(second.restoredMessages).toBe(5);
    const bodies = await drain(second.sqs, second.queueUrls.turns);
    expect(bodies.toSorted()).toEqual(["turn-1", "turn-2", "turn-3"]);
    expect(bodies.indexOf("turn-1")).toBeLessThan(bodies.indexOf("turn-2"));
    expect(await drain(second.sqs, second.queueUrls.turnsDlq)).toEqual(["poison"]);
    const dead = await second.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: second.queueUrls.repliesDlq, MessageAttributeNames: ["All"] }),
    );
    expect(dead.Messages?.[0]?.Body).toBe("dead-reply");
    expect(dead.Messages?.[0]?.MessageAttributes?.reason?.StringValue).toBe("gave up after 5 receives");
  });

  it("after a crash at any moment, the journal on disk holds every acknowledged message and no deleted one", async () => {
    const dir = freshDir();
    const first = await start(dir);
    await send(first.sqs, first.queueUrls.turns, "kept-1", "a", {
      MessageAttributes: { bytes: { DataType: "Binary", BinaryValue: new Uint8Array([0, 1, 254, 255]) } },
    });
    await send(first.sqs, first.queueUrls.turns, "consumed", "b");
    await send(first.sqs, first.queueUrls.turns, "kept-2", "a");
    const received = await first.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: first.queueUrls.turns, MaxNumberOfMessages: 10 }),
    );
    const consumed = received.Messages?.find((message) => message.Body === "consumed");
    await first.sqs.send(
      new DeleteMessageCommand({ QueueUrl: first.queueUrls.turns, ReceiptHandle: consumed?.ReceiptHandle }),
    );
    await redrive(first, "poison");
    // Acknowledged only once everything recorded before it is on disk.
    await send(first.sqs, first.queueUrls.replies, "last-ack", "c");

    const second = await start(crashCopy(dir));
    expect(second.restoredMessages).toBe(4);
    // A sender retrying after the crash (a Twilio redelivery) is collapsed by the restored dedupe id.
    await send(second.sqs, second.queueUrls.turns, "kept-1", "a");
    const turns = await second.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: second.queueUrls.turns,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["MessageGroupId", "MessageDeduplicationId"],
      }),
    );
    expect(turns.Messages?.map((message) => message.Body)).toEqual(["kept-1"]);
    expect(turns.Messages?.[0]?.Attributes).toMatchObject({ MessageGroupId: "a", MessageDeduplicationId: "kept-1" });
    expect(turns.Messages?.[0]?.MessageAttributes?.bytes?.BinaryValue).toEqual(new Uint8Array([0, 1, 254, 255]));
    await second.sqs.send(
      new DeleteMessageCommand({ QueueUrl: second.queueUrls.turns, ReceiptHandle: turns.Messages?.[0]?.ReceiptHandle }),
    );
    expect(await drain(second.sqs, second.queueUrls.turns)).toEqual(["kept-2"]);
    expect(await drain(second.sqs, second.queueUrls.turnsDlq)).toEqual(["poison"]);
    expect(await drain(second.sqs, second.queueUrls.replies)).toEqual(["last-ack"]);
  });

  it("a purge is journaled, and a dedupe hit after a delete brings nothing back", async () => {
    const dir = freshDir();
    const first = await start(dir);
    await send(first.sqs, first.queueUrls.replies, "purged-1", "a");
    await send(first.sqs, first.queueUrls.replies, "purged-2", "b");
    await first.sqs.send(new PurgeQueueCommand({ QueueUrl: first.queueUrls.replies }));
    await send(first.sqs, first.queueUrls.turns, "answered", "a");
    expect(await drain(first.sqs, first.queueUrls.turns)).toEqual(["answered"]);
    // Within SQS's five minutes the same dedupe id answers with the deleted message's id and queues nothing.
    await send(first.sqs, first.queueUrls.turns, "answered", "a");
    await send(first.sqs, first.queueUrls.replies, "after-purge", "a");

    const second = await start(crashCopy(dir));
    expect(second.restoredMessages).toBe(1);
    expect(await drain(second.sqs, second.queueUrls.replies)).toEqual(["after-purge"]);
  });

  it("re-queues a pre-journal queued-messages.json once, and removes it only when the journal holds it", async () => {
    const dir = freshDir();
    const legacy = {
      turns: [
        { body: "old-1", groupId: "a", dedupeId: "old-1", attributes: {} },
        { body: "old-2", groupId: "a", dedupeId: "old-2", attributes: {} },
      ],
      repliesDlq: [
        {
          body: "old-dead",
          groupId: "b",
          dedupeId: "old-dead",
          attributes: { reason: { DataType: "String", StringValue: "bad reply" } },
        },
      ],
    };
    writeFileSync(join(dir, LEGACY_SNAPSHOT_FILE), JSON.stringify(legacy));
    // A crash between writing the journal and removing the old file: the next start must not queue them twice.
    const crashed = freshDir();
    writeFileSync(join(crashed, LEGACY_SNAPSHOT_FILE), JSON.stringify(legacy));

    const first = await start(dir);
    expect(first.restoredMessages).toBe(3);
    expect(existsSync(join(dir, LEGACY_SNAPSHOT_FILE))).toBe(false);
    const header = JSON.parse(readFileSync(join(dir, QUEUE_JOURNAL_FILE), "utf8").split("\n")[0] as string);
    expect(header.legacyImported).toBe(readLegacySnapshot(join(crashed, LEGACY_SNAPSHOT_FILE))?.sha256);
    copyFileSync(join(dir, QUEUE_JOURNAL_FILE), join(crashed, QUEUE_JOURNAL_FILE));
    expect(await drain(first.sqs, first.queueUrls.turns)).toEqual(["old-1", "old-2"]);

    const second = await start(crashed);
    expect(second.restoredMessages).toBe(3);
    expect(existsSync(join(crashed, LEGACY_SNAPSHOT_FILE))).toBe(false);
    expect(await drain(second.sqs, second.queueUrls.turns)).toEqual(["old-1", "old-2"]);
    const dead = await second.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: second.queueUrls.repliesDlq, MessageAttributeNames: ["All"] }),
    );
    expect(dead.Messages?.map((message) => message.MessageAttributes?.reason?.StringValue)).toEqual(["bad reply"]);
  });

  it("refuses SQS Query-protocol requests with a 400 that names the protocol it speaks", async () => {
    const aws = await startEmbeddedAws();
    started.push(aws);
    const response = await fetch(aws.sqsEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ Action: "SendMessage", QueueUrl: aws.queueUrls.turns, MessageBody: "x" }).toString(),
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain("UnsupportedProtocol");
    expect(text).toContain("AWS JSON protocol");
    expect(await drain(aws.sqs, aws.queueUrls.turns)).toEqual([]);
  });

  it.each(["SendMessage", "SendMessageAmazonSQS."])(
    "refuses X-Amz-Target %j with a 400 naming the header: fauxqs would queue it, the journal would not see it",
    async (target) => {
      const aws = await start(freshDir());
      const answer = await rawSqs(aws, target, {
        QueueUrl: aws.queueUrls.turns,
        MessageBody: "odd",
        MessageGroupId: "g",
        MessageDeduplicationId: "odd",
      });
      expect(answer.status).toBe(400);
      expect(answer.text).toContain("X-Amz-Target");
      expect(answer.text).toContain("AmazonSQS.SendMessage");
      expect(await drain(aws.sqs, aws.queueUrls.turns)).toEqual([]);
    },
  );

  it("refuses a delete whose X-Amz-Target is not AmazonSQS.DeleteMessage: the message stays, as the journal has it", async () => {
    const aws = await start(freshDir());
    await send(aws.sqs, aws.queueUrls.turns, "kept", "a");
    const received = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: aws.queueUrls.turns, VisibilityTimeout: 0 }),
    );
    const answer = await rawSqs(aws, "DeleteMessage", {
      QueueUrl: aws.queueUrls.turns,
      ReceiptHandle: received.Messages?.[0]?.ReceiptHandle,
    });
    expect(answer.status).toBe(400);
    expect(await drain(aws.sqs, aws.queueUrls.turns)).toEqual(["kept"]);
  });

  it.each([
    ["a numeric MessageGroupId", "SendMessage", { MessageGroupId: 5 }, "MessageGroupId"],
    ["a numeric MessageDeduplicationId", "SendMessage", { MessageDeduplicationId: 7 }, "MessageDeduplicationId"],
    ["a MessageBody that is not text", "SendMessage", { MessageBody: { text: "hi" } }, "MessageBody"],
    [
      "a batch entry with a numeric MessageGroupId",
      "SendMessageBatch",
      { MessageGroupId: 5 },
      "Entries[1].MessageGroupId",
    ],
  ])(
    "refuses a send with %s (400 naming the field): it could not be queued again after a crash",
    async (_, action, odd, field) => {
      const aws = await start(freshDir());
      const entry = { MessageBody: "odd", MessageGroupId: "g", MessageDeduplicationId: "odd" };
      const request =
        action === "SendMessage"
          ? { QueueUrl: aws.queueUrls.turns, ...entry, ...odd }
          : {
              QueueUrl: aws.queueUrls.turns,
              Entries: [
                { Id: "fine", ...entry, MessageDeduplicationId: "fine" },
                { Id: "odd", ...entry, ...odd },
              ],
            };
      const answer = await rawSqs(aws, `AmazonSQS.${action}`, request);
      expect(answer.status).toBe(400);
      expect(answer.text).toContain(`${field}: expected a string`);
      expect(await drain(aws.sqs, aws.queueUrls.turns)).toEqual([]);
    },
  );

  it("sets aside a journaled message that cannot be queued again, in one line, and queues the rest", async () => {
    // What the previous version journaled for a send with a numeric MessageGroupId: no group at all.
    const dir = crashedWith([
      { id: "m1", queue: "turns", body: "before", groupId: "a", dedupeId: "before" },
      { id: "m2", queue: "turns", body: "groupless", dedupeId: "groupless" },
      { id: "m3", queue: "replies", body: "after", groupId: "a", dedupeId: "after" },
    ]);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const first = await start(dir);
    expect(first.restoredMessages).toBe(2);
    const lines = warn.mock.calls.map((call) => call.join(" "));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/turns .*MessageGroupId/);
    expect(lines[0]).toContain(join(dir, REJECTED_FILE));
    const [setAside] = readFileSync(join(dir, REJECTED_FILE), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(setAside).toMatchObject({ queue: "turns", body: "groupless", dedupeId: "groupless" });
    expect(setAside.reason).toContain("MessageGroupId");
    expect(await stop(first)).toBe(2);

    // The journal no longer holds it: the next start neither re-tries it nor sets it aside twice.
    const second = await start(dir);
    expect(second.restoredMessages).toBe(2);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(await drain(second.sqs, second.queueUrls.turns)).toEqual(["before"]);
    expect(await drain(second.sqs, second.queueUrls.replies)).toEqual(["after"]);
  });

  it("keeps both of two live messages that share a dedupe id (sent over five minutes apart)", async () => {
    const dir = crashedWith([
      { id: "m1", queue: "turns", body: "first", groupId: "a", dedupeId: "same" },
      { id: "m2", queue: "turns", body: "second", groupId: "a", dedupeId: "same" },
    ]);
    const aws = await start(dir);
    expect(aws.restoredMessages).toBe(2);
    // A sender's retry of the original send is still collapsed.
    await send(aws.sqs, aws.queueUrls.turns, "same", "a");
    const consumed = await consume(aws.sqs, aws.queueUrls.turns);
    expect(consumed.map((message) => message.Body)).toEqual(["first", "second"]);
    const [kept, renamed] = consumed.map((message) => message.Attributes?.MessageDeduplicationId);
    expect(kept).toBe("same");
    expect(renamed).toBe("same-restored-1");
  });
});
