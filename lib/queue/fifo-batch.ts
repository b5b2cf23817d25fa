import { processPartialResponse, SqsFifoPartialProcessorAsync } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { Log } from "../log/log.ts";

/** What a record handler may answer besides its own outcomes: leave the record on the queue for a while. */
export interface RetryLaterOutcome {
  kind: "retry-later";
  reason: string;
  delaySeconds: number;
}

export interface FifoBatchDeps {
  log: Log;
  /** Makes a failed record visible again after `delaySeconds` (SQS ChangeMessageVisibility; lib/queue/postpone.ts). */
  postpone(record: SQSRecord, delaySeconds: number): Promise<void>;
}

export interface FifoBatchResult<Outcome> {
  response: SQSBatchResponse;
  /** What became of the records that leave the queue, in batch order. */
  settled: Outcome[];
  /** The failed records given a backoff, with its length in seconds. */
  postponed: Array<{ messageId: string; delaySeconds: number }>;
}

/** Thrown to the batch processor so it reports the record as failed and skips the rest of its FIFO group. */
class RecordRetriesLater extends Error {
  override name = "RecordRetriesLater";
}

/**
 * One FIFO batch, records in order; after a failure the rest of that group is skipped (order kept) while other
 * groups go on. Every failed record, skipped ones included, then gets its group's backoff: a FIFO group stays
 * locked while any of its messages is in flight, so a skipped record left at the queue's visibility timeout would
 * hold back the failed one's retry too.
 */
export async function processFifoBatch<Outcome extends { kind: string }>(
  event: SQSEvent,
  context: Context,
  handle: (record: SQSRecord) => Promise<Outcome | RetryLaterOutcome>,
  deps: FifoBatchDeps,
): Promise<FifoBatchResult<Outcome>> {
  const settled: Outcome[] = [];
  const backoffByGroup = new Map<string, number>();
  const handleRecord = async (record: SQSRecord) => {
    let outcome: Outcome | RetryLaterOutcome;
    try {
      outcome = await handle(record);
    } catch (error) {
      deps.log.error("record failed unexpectedly", { messageId: record.messageId, error: String(error) });
      throw error;
    }
    if (isRetryLater(outcome)) {
      backoffByGroup.set(groupOf(record), outcome.delaySeconds);
      throw new RecordRetriesLater(outcome.reason);
    }
    settled.push(outcome);
  };
  // A processor per batch: it keeps per-batch state, and the local harness may run batches concurrently.
  const response = await processPartialResponse(event, handleRecord, new SqsFifoPartialProcessorAsync(), {
    context,
    skipGroupOnError: true,
    // A batch that only retries later is an expected outcome, reported per record rather than as a function error.
    throwOnFullBatchFailure: false,
  });

  const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
  const postponed = event.Records.flatMap((record) => {
    const delaySeconds = failed.has(record.messageId) ? backoffByGroup.get(groupOf(record)) : undefined;
    // Without a backoff (an unexpected error), the whole group returns after the queue's visibility timeout.
    return delaySeconds === undefined ? [] : [{ record, delaySeconds }];
  });
  await Promise.all(postponed.map(({ record, delaySeconds }) => postponeQuietly(record, delaySeconds, deps)));
  return {
    response,
    settled,
    postponed: postponed.map(({ record, delaySeconds }) => ({ messageId: record.messageId, delaySeconds })),
  };
}

function isRetryLater(outcome: { kind: string }): outcome is RetryLaterOutcome {
  return outcome.kind === "retry-later";
}

function groupOf(record: SQSRecord): string {
  return record.attributes.MessageGroupId ?? record.messageId;
}

/** If setting the backoff fails, the queue's visibility timeout still brings the record back. */
async function postponeQuietly(record: SQSRecord, delaySeconds: number, deps: FifoBatchDeps): Promise<void> {
  try {
    await deps.postpone(record, delaySeconds);
  } catch (error) {
    deps.log.warn("could not set the retry backoff", { messageId: record.messageId, error: String(error) });
  }
}
