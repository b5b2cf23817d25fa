import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import {
  isQueueRole,
  type JournaledMessage,
  type QueuedMessage,
  type QueueRole,
  type WireAttributes,
} from "./queue-journal-records.ts";

interface InspectedMessage {
  messageId: string;
  body: string;
  sentTimestamp: number;
  sequenceNumber?: string;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  messageAttributes: WireAttributes;
}

/** What fauxqs's `/_fauxqs/queues/:name` answers. */
export interface InspectedQueue {
  messages: { ready: InspectedMessage[]; delayed: InspectedMessage[]; inflight: Array<{ message: InspectedMessage }> };
}

/** Every message fauxqs holds in a queue (waiting, delayed or in flight), in the order they were sent. */
export function inspectedMessages(queue: QueueRole, inspected: InspectedQueue | undefined): JournaledMessage[] {
  if (!inspected) return [];
  const { ready, delayed, inflight } = inspected.messages;
  const all = [...ready, ...delayed, ...inflight.map((entry) => entry.message)];
  all.sort(
    (a, b) => a.sentTimestamp - b.sentTimestamp || Number(a.sequenceNumber ?? 0) - Number(b.sequenceNumber ?? 0),
  );
  return all.map((message) => ({
    id: message.messageId,
    queue,
    body: message.body,
    ...(message.messageGroupId ? { groupId: message.messageGroupId } : {}),
    ...(message.messageDeduplicationId ? { dedupeId: message.messageDeduplicationId } : {}),
    ...(Object.keys(message.messageAttributes).length > 0 ? { attributes: message.messageAttributes } : {}),
  }));
}

/** The file a clean stop wrote before the journal existed: queue role -> messages in send order. */
interface LegacySnapshot {
  [role: string]: Array<{ body: string; groupId?: string; dedupeId?: string; attributes?: WireAttributes }>;
}

/**
 * Reads `queued-messages.json` from a data dir written by an earlier version (undefined when there is none). The
 * hash lets the journal record that it holds these messages, so a crash before the file is removed cannot queue
 * them twice.
 */
export function readLegacySnapshot(path: string): { sha256: string; messages: QueuedMessage[] } | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, "utf8");
  const snapshot = JSON.parse(text) as LegacySnapshot;
  const messages = Object.entries(snapshot).flatMap(([role, saved]) => {
    if (!isQueueRole(role)) throw new Error(`${path}: unknown queue "${role}"`);
    return saved.map(({ attributes, ...message }) => ({
      queue: role,
      ...message,
      ...(attributes && Object.keys(attributes).length > 0 ? { attributes } : {}),
    }));
  });
  return { sha256: createHash("sha256").update(text).digest("hex"), messages };
}
