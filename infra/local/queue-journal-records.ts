/** The channel's four queues by role; the journal names queues by role because their URLs change with the port. */
export const QUEUE_ROLES = ["turns", "turnsDlq", "replies", "repliesDlq"] as const;
export type QueueRole = (typeof QUEUE_ROLES)[number];

export function isQueueRole(value: unknown): value is QueueRole {
  return typeof value === "string" && (QUEUE_ROLES as readonly string[]).includes(value);
}

/** MessageAttributes exactly as the SQS JSON protocol carries them (binary values stay base64 text). */
export type WireAttributes = Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;

/** What it takes to send a message again: same queue, body, FIFO group, dedupe id and attributes. */
export interface QueuedMessage {
  queue: QueueRole;
  body: string;
  groupId?: string;
  dedupeId?: string;
  attributes?: WireAttributes;
}

/** A queued message under the id fauxqs gave it (deletes and moves name it). */
export interface JournaledMessage extends QueuedMessage {
  id: string;
}

export type JournalRecord =
  | ({ op: "send" } & JournaledMessage)
  | { op: "delete"; id: string }
  /** fauxqs's redrive moved the message to a dead-letter queue. */
  | { op: "move"; id: string; queue: QueueRole };

/**
 * A line is a record if it has an op and the id of the message it is about. What a send carries is checked when it
 * is queued again, where one that cannot be is set aside instead of stopping the start.
 */
export function isJournalRecord(value: unknown): value is JournalRecord {
  if (typeof value !== "object" || value === null) return false;
  const { op, id } = value as Record<string, unknown>;
  return (op === "send" || op === "delete" || op === "move") && typeof id === "string";
}

export const JOURNAL_FORMAT = "sms-channel-queue-journal";
export const JOURNAL_VERSION = 1;

/** First line of every journal file. */
export interface JournalHeader {
  format: typeof JOURNAL_FORMAT;
  version: typeof JOURNAL_VERSION;
  /** sha256 of a pre-journal `queued-messages.json` whose messages this journal already holds. */
  legacyImported?: string;
}

/**
 * The messages still queued after `base` (a compacted state) and then `records`, in first-sent order. A send of an
 * id seen before is a FIFO dedupe hit (fauxqs answers with the original id) or an overlap between a checkpoint and
 * the records written around it: either way it adds nothing.
 */
export function replay(
  base: Iterable<JournaledMessage>,
  records: Iterable<JournalRecord>,
): Map<string, JournaledMessage> {
  const live = new Map<string, JournaledMessage>();
  const seen = new Set<string>();
  for (const message of base) {
    seen.add(message.id);
    live.set(message.id, message);
  }
  for (const record of records) {
    if (record.op === "send") {
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      const { op: _op, ...message } = record;
      live.set(record.id, message);
    } else if (record.op === "delete") {
      live.delete(record.id);
    } else {
      const message = live.get(record.id);
      if (message) live.set(record.id, { ...message, queue: record.queue });
    }
  }
  return live;
}
