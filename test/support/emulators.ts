/**
 * Real protocol emulators for integration tests: dynalite (DynamoDB) and fauxqs (SQS) in process on free ports,
 * with the channel's table and four FIFO queues, exactly as the local gateway starts them.
 */
import { type EmbeddedAws, startEmbeddedAws } from "../../infra/local/embedded-aws.ts";
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
