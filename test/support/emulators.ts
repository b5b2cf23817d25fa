/**
 * Real protocol emulators for integration tests: dynalite (DynamoDB) and fauxqs (SQS) in process on free ports,
 * with the channel's table and four FIFO queues, exactly as the local gateway starts them.
 */
import { type EmbeddedAws, startEmbeddedAws } from "../../infra/local/embedded-aws.ts";

export type Emulators = EmbeddedAws;

export function startEmulators(): Promise<Emulators> {
  return startEmbeddedAws({ visibilityTimeoutSeconds: 1 });
}
