import type { FauxqsApp, Fields } from "./fauxqs-access.ts";
import type { QueueJournal } from "./queue-journal.ts";
import type { JournaledMessage, QueueRole, WireAttributes } from "./queue-journal-records.ts";
import { ReceiptHandles } from "./receipt-handles.ts";
import type { RedriveWatch } from "./redrive-watch.ts";
import { sqsAction } from "./sqs-target.ts";

export interface TrafficJournalOptions {
  journal: Pick<QueueJournal, "recordSend" | "recordDelete" | "recordMove" | "durable" | "idsIn">;
  /** The channel's queues by URL; traffic to other queues is not journaled. */
  roleOf: (queueUrl: unknown) => QueueRole | undefined;
  redrive: RedriveWatch;
  /** Ids of the messages fauxqs holds in a queue right now. */
  heldIn: (queue: QueueRole) => Promise<Set<string>>;
}

/**
 * Journals what fauxqs did, from each SQS JSON-protocol request and its successful answer, before the answer
 * leaves: a sender hears "sent" only once its message is fsynced in the journal. Deletes and dead-letter moves are
 * written without waiting (losing one to a crash only means a message is delivered again, which the handlers
 * absorb).
 */
export function journalSqsTraffic(app: FauxqsApp, options: TrafficJournalOptions): void {
  const { journal, redrive } = options;
  const handles = new ReceiptHandles();
  const deleted = (id: string | undefined) => {
    if (id === undefined) return;
    journal.recordDelete(id);
    redrive.forget(id);
  };

  const observe: Record<string, (queue: QueueRole, request: Fields, answer: Fields) => Promise<void> | void> = {
    async SendMessage(queue, request, answer) {
      const message = queuedMessage(queue, answer.MessageId, request);
      if (message) journal.recordSend(message);
      await journal.durable();
    },
    async SendMessageBatch(queue, request, answer) {
      const entries = new Map(list(request.Entries).map((entry) => [entry.Id, entry]));
      for (const sent of list(answer.Successful)) {
        const message = queuedMessage(queue, sent.MessageId, entries.get(sent.Id) ?? {});
        if (message) journal.recordSend(message);
      }
      await journal.durable();
    },
    async ReceiveMessage(queue, _request, answer) {
      for (const message of list(answer.Messages)) {
        if (typeof message.MessageId !== "string" || typeof message.ReceiptHandle !== "string") continue;
        handles.received(message.MessageId, message.ReceiptHandle);
        redrive.received(queue, message.MessageId);
      }
      await recordRedriveMoves(queue);
    },
    DeleteMessage(_queue, request) {
      if (typeof request.ReceiptHandle === "string") deleted(handles.take(request.ReceiptHandle));
    },
    DeleteMessageBatch(_queue, request, answer) {
      const entries = new Map(list(request.Entries).map((entry) => [entry.Id, entry]));
      for (const done of list(answer.Successful)) {
        const handle = entries.get(done.Id)?.ReceiptHandle;
        if (typeof handle === "string") deleted(handles.take(handle));
      }
    },
    async PurgeQueue(queue) {
      for (const id of journal.idsIn(queue)) {
        handles.forget(id);
        deleted(id);
      }
      await journal.durable();
    },
  };

  // fauxqs moves a message past maxReceiveCount inside a receive; look for the ones due to move.
  async function recordRedriveMoves(queue: QueueRole): Promise<void> {
    const due = redrive.dueIn(queue);
    const policy = redrive.policyOf(queue);
    if (due.length === 0 || !policy) return;
    const dead = await options.heldIn(policy.deadLetter);
    for (const id of due) {
      if (!dead.has(id)) continue;
      journal.recordMove(id, policy.deadLetter);
      redrive.forget(id);
      handles.forget(id);
    }
  }

  app.addHook("preSerialization", async (request, reply, payload) => {
    // Any other form of the header never reaches fauxqs (sqs-json-refusal.ts).
    const action = sqsAction(request.headers["x-amz-target"]);
    const handler = action === undefined ? undefined : observe[action];
    if (reply.statusCode !== 200 || !handler) return payload;
    const fields = (request.body ?? {}) as Fields;
    const queue = options.roleOf(fields.QueueUrl);
    if (queue) await handler(queue, fields, (payload ?? {}) as Fields);
    return payload;
  });
}

function list(value: unknown): Fields[] {
  return Array.isArray(value) ? (value.filter((item) => typeof item === "object" && item !== null) as Fields[]) : [];
}

function queuedMessage(queue: QueueRole, id: unknown, entry: Fields): JournaledMessage | undefined {
  if (typeof id !== "string" || typeof entry.MessageBody !== "string") return undefined;
  const attributes = entry.MessageAttributes as WireAttributes | undefined;
  return {
    id,
    queue,
    body: entry.MessageBody,
    ...(typeof entry.MessageGroupId === "string" ? { groupId: entry.MessageGroupId } : {}),
    ...(typeof entry.MessageDeduplicationId === "string" ? { dedupeId: entry.MessageDeduplicationId } : {}),
    ...(attributes && Object.keys(attributes).length > 0 ? { attributes } : {}),
  };
}
