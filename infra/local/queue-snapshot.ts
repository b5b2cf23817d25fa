import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";

/** One queued message as saved at shutdown: enough to send it again with the same group, dedupe id and attributes. */
export interface SavedMessage {
  body: string;
  groupId?: string;
  dedupeId?: string;
  attributes: Record<string, { DataType: string; StringValue?: string }>;
}

/** Queue role (turns, turnsDlq, replies, repliesDlq) -> its messages in send order. */
export type QueueSnapshot = Record<string, SavedMessage[]>;

interface InspectedMessage {
  body: string;
  sentTimestamp: number;
  sequenceNumber?: string;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  messageAttributes: Record<string, { DataType: string; StringValue?: string }>;
}

export interface InspectedQueue {
  messages: { ready: InspectedMessage[]; delayed: InspectedMessage[]; inflight: Array<{ message: InspectedMessage }> };
}

/** Every message fauxqs still holds (waiting, delayed or in flight after a failure), in the order they were sent. */
export function savedMessages(queue: InspectedQueue | undefined): SavedMessage[] {
  if (!queue) return [];
  const all = [
    ...queue.messages.ready,
    ...queue.messages.delayed,
    ...queue.messages.inflight.map((entry) => entry.message),
  ];
  all.sort(
    (a, b) => a.sentTimestamp - b.sentTimestamp || Number(a.sequenceNumber ?? 0) - Number(b.sequenceNumber ?? 0),
  );
  return all.map((message) => ({
    body: message.body,
    ...(message.messageGroupId ? { groupId: message.messageGroupId } : {}),
    ...(message.messageDeduplicationId ? { dedupeId: message.messageDeduplicationId } : {}),
    attributes: message.messageAttributes,
  }));
}

/** Sends saved messages back, ten per request, keeping their order within each FIFO group. */
export async function requeue(sqs: SQSClient, queueUrl: string, messages: SavedMessage[]): Promise<void> {
  for (let start = 0; start < messages.length; start += 10) {
    const batch = messages.slice(start, start + 10);
    const result = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((message, index) => ({
          Id: String(index),
          MessageBody: message.body,
          ...(message.groupId ? { MessageGroupId: message.groupId } : {}),
          ...(message.dedupeId ? { MessageDeduplicationId: message.dedupeId } : {}),
          ...(Object.keys(message.attributes).length > 0 ? { MessageAttributes: message.attributes } : {}),
        })),
      }),
    );
    if (result.Failed?.length)
      throw new Error(`could not re-queue ${result.Failed.length} saved message(s) on ${queueUrl}`);
  }
}

/** Reads and removes the snapshot a previous run saved (none: empty). */
export function takeSavedSnapshot(path: string): QueueSnapshot {
  if (!existsSync(path)) return {};
  const snapshot = JSON.parse(readFileSync(path, "utf8")) as QueueSnapshot;
  rmSync(path);
  return snapshot;
}

/** Writes the snapshot if it holds anything; returns how many messages were saved. */
export function saveSnapshot(path: string, snapshot: QueueSnapshot): number {
  const count = Object.values(snapshot).reduce((sum, messages) => sum + messages.length, 0);
  if (count > 0) writeFileSync(path, `${JSON.stringify(snapshot)}\n`, { mode: 0o600 });
  return count;
}
