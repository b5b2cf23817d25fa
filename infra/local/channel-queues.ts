import { TURNS_MAX_RECEIVE_COUNT } from "../../lib/config/turn-timing.ts";
import type { SqsCall } from "./fauxqs-access.ts";
import { QUEUE_ROLES, type QueueRole } from "./queue-journal-records.ts";
import type { RedrivePolicy } from "./redrive-watch.ts";

export type QueueUrls = Record<QueueRole, string>;

/** As the stack's queues: turns dead-letter after 10 receives, replies after 100 (the outbound side retries itself). */
export const REDRIVE: Partial<Record<QueueRole, RedrivePolicy>> = {
  turns: { deadLetter: "turnsDlq", maxReceiveCount: TURNS_MAX_RECEIVE_COUNT },
  replies: { deadLetter: "repliesDlq", maxReceiveCount: 100 },
};
const SUFFIXES: Record<QueueRole, string> = {
  turns: "turns",
  turnsDlq: "turns-dlq",
  replies: "replies",
  repliesDlq: "replies-dlq",
};

export function queueNames(prefix: string): Record<QueueRole, string> {
  return Object.fromEntries(QUEUE_ROLES.map((role) => [role, `${prefix}-${SUFFIXES[role]}.fifo`])) as Record<
    QueueRole,
    string
  >;
}

/** Seconds a received message stays invisible: one value for every queue, or one for the turns queue and another. */
export type VisibilityTimeouts = number | { turns: number; others: number };

/** Creates the channel's four FIFO queues over the SQS API, dead-letter queues first (the others name their ARNs). */
export async function createChannelQueues(
  call: SqsCall,
  names: Record<QueueRole, string>,
  visibility: VisibilityTimeouts,
): Promise<QueueUrls> {
  const urls = {} as QueueUrls;
  for (const role of ["turnsDlq", "repliesDlq", "turns", "replies"] as const) {
    const attributes: Record<string, string> = {
      FifoQueue: "true",
      ContentBasedDeduplication: "false",
      VisibilityTimeout: String(visibilitySeconds(visibility, role)),
    };
    const redrive = REDRIVE[role];
    if (redrive) {
      const { Attributes } = await call("GetQueueAttributes", {
        QueueUrl: urls[redrive.deadLetter],
        AttributeNames: ["QueueArn"],
      });
      attributes.RedrivePolicy = JSON.stringify({
        deadLetterTargetArn: (Attributes as Record<string, string>).QueueArn,
        maxReceiveCount: String(redrive.maxReceiveCount),
      });
    }
    const { QueueUrl } = await call("CreateQueue", { QueueName: names[role], Attributes: attributes });
    urls[role] = String(QueueUrl);
  }
  return urls;
}

function visibilitySeconds(visibility: VisibilityTimeouts, role: QueueRole): number {
  if (typeof visibility === "number") return visibility;
  return role === "turns" ? visibility.turns : visibility.others;
}
