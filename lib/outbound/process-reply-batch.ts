import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { type FifoBatchResult, processFifoBatch } from "../queue/fifo-batch.ts";
import { processReplyRecord, type RecordDeps, type RecordOutcome } from "./process-reply-record.ts";

export interface ReplyBatchDeps extends RecordDeps {
  /** Makes a failed record visible again after `delaySeconds` (SQS ChangeMessageVisibility; lib/queue/postpone.ts). */
  postpone(record: SQSRecord, delaySeconds: number): Promise<void>;
}

export type ReplyBatchResult = FifoBatchResult<Exclude<RecordOutcome, { kind: "retry-later" }>>;

/**
 * One replies-queue batch: records in order; after a failure the rest of that recipient's FIFO group waits (order
 * kept) while other recipients' replies still go out, and the group returns after its backoff.
 */
export function processReplyBatch(event: SQSEvent, context: Context, deps: ReplyBatchDeps): Promise<ReplyBatchResult> {
  return processFifoBatch(event, context, (record) => processReplyRecord(record, deps), deps);
}
