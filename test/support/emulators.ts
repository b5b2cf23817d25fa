/**
 * Real protocol emulators for integration tests: dynalite (DynamoDB) and fauxqs (SQS) in process on free ports,
 * with the channel's table and four FIFO queues, exactly as the local gateway starts them.
 */
import { type EmbeddedAws, startEmbeddedAws } from "../../infra/local/embedded-aws.ts";
import { DeadLetterQueue } from "../../lib/queue/dead-letter-queue.ts";
import { queueDepth } from "../../lib/queue/queue-depth.ts";

export type Emulators = EmbeddedAws;

export function startEmulators(): Promise<Emulators> {
  return startEmbeddedAws({ visibilityTimeoutSeconds: 1 });
}

/** What `smsctl status` reports as waiting in the DLQs, read from the emulated queues. */
export async function deadLetterDepths(emulators: Emulators): Promise<{ turns: number; replies: number }> {
  const [turns, replies] = await Promise.all([
    queueDepth(emulators.sqs, emulators.queueUrls.turnsDlq),
    queueDepth(emulators.sqs, emulators.queueUrls.repliesDlq),
  ]);
  return { turns, replies };
}

/** The two dead-letter queues as the admin function reads them, on the emulated queues. */
export function deadLetterQueues(emulators: Emulators): { turns: DeadLetterQueue; replies: DeadLetterQueue } {
  const { sqs, queueUrls } = emulators;
  return {
    turns: new DeadLetterQueue(sqs, queueUrls.turnsDlq, queueUrls.turns),
    replies: new DeadLetterQueue(sqs, queueUrls.repliesDlq, queueUrls.replies),
  };
}
