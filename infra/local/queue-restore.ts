import type { QueueUrls } from "./channel-queues.ts";
import { type Fields, type SqsCall, SqsCallError } from "./fauxqs-access.ts";
import { isQueueRole, type QueuedMessage } from "./queue-journal-records.ts";

/** SQS's limit on a MessageDeduplicationId. */
const MAX_DEDUPE_ID = 128;

export interface SetAside {
  message: QueuedMessage;
  /** Why it could not be queued again, as fauxqs said it. */
  reason: string;
}

/**
 * Sends each message back into the fresh queues, in order, with its group, dedupe id and attributes. One that
 * fauxqs refuses is set aside and returned with the reason instead of stopping the start: a single bad message
 * must not keep the gateway down. `requeued` counts the messages the queues hold now.
 *
 * Two live messages can share a dedupe id, when a client sent them more than five minutes apart. Sent again
 * within seconds, the later one would look like a retry of the earlier and be dropped, so it is queued under its
 * dedupe id with a suffix instead. That loses nothing and duplicates nothing: a retry of either original send still
 * carries the plain id and is collapsed into the earlier message.
 */
export async function requeue(
  call: SqsCall,
  urls: QueueUrls,
  backlog: QueuedMessage[],
): Promise<{ requeued: number; setAside: SetAside[] }> {
  // Nothing else sends yet (the endpoint's port is printed only after the start), so an id seen twice is a dedupe hit.
  const queued = new Set<string>();
  const isNew = (answer: Fields): boolean => {
    const id = String(answer.MessageId);
    if (queued.has(id)) return false;
    queued.add(id);
    return true;
  };
  const setAside: SetAside[] = [];
  for (const message of backlog) {
    const url = isQueueRole(message.queue) ? urls[message.queue] : undefined;
    if (url === undefined) {
      setAside.push({ message, reason: `"${message.queue}" is not one of the channel's queues` });
      continue;
    }
    try {
      let renamed = 0;
      while (!isNew(await call("SendMessage", request(url, message, renamed)))) renamed += 1;
    } catch (error) {
      if (!(error instanceof SqsCallError)) throw error;
      setAside.push({ message, reason: error.reason });
    }
  }
  return { requeued: backlog.length - setAside.length, setAside };
}

function request(url: string, message: QueuedMessage, renamed: number): Fields {
  const dedupeId = renamed === 0 ? message.dedupeId : suffixed(message.dedupeId ?? "", renamed);
  return {
    QueueUrl: url,
    MessageBody: message.body,
    ...(message.groupId ? { MessageGroupId: message.groupId } : {}),
    ...(dedupeId ? { MessageDeduplicationId: dedupeId } : {}),
    ...(message.attributes ? { MessageAttributes: message.attributes } : {}),
  };
}

function suffixed(dedupeId: string, renamed: number): string {
  const suffix = `-restored-${renamed}`;
  return dedupeId.slice(0, MAX_DEDUPE_ID - suffix.length) + suffix;
}
