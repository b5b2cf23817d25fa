import type { SQSClient } from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";
import { deadLetterRecord } from "../queue/dead-letter.ts";
import type { RetryLaterOutcome } from "../queue/fifo-batch.ts";
import { parseQueueMessage, QueueMessageError, type Turn, turnSchema } from "../queue/messages.ts";
import { type AgentDeps, answerTurn, type TurnOutcome, UnanswerableTurn } from "./answer-turn.ts";

export interface TurnRecordDeps extends AgentDeps {
  sqs: SQSClient;
  dlqUrl: string;
  /** Backoff before the next attempt, by the number of failed attempts so far. */
  retryDelaySeconds: (attempts: number) => number;
}

export type TurnRecordOutcome =
  | Exclude<TurnOutcome, { kind: "retry-later" | "failed" }>
  | { kind: "dead-lettered"; reason: string };

/**
 * One turns-queue record: answered (or found answered), retried later with a backoff, or moved to the turns DLQ
 * with its reason (a turn the contract refuses, an unknown account, a model that kept failing). Throws only on an
 * unexpected error; the record then returns after the queue's visibility timeout.
 */
export async function processTurnRecord(
  record: SQSRecord,
  deps: TurnRecordDeps,
): Promise<TurnRecordOutcome | RetryLaterOutcome> {
  let turn: Turn;
  try {
    turn = parseQueueMessage(turnSchema, record.body, "turn");
  } catch (error) {
    if (error instanceof QueueMessageError) return deadLetter(record, error.message, deps);
    throw error;
  }
  let outcome: TurnOutcome;
  try {
    outcome = await answerTurn(turn, deps, Number(record.attributes.ApproximateReceiveCount) || 1);
  } catch (error) {
    if (error instanceof UnanswerableTurn) return deadLetter(record, error.message, deps);
    throw error;
  }
  if (outcome.kind === "retry-later") {
    return { kind: "retry-later", reason: outcome.reason, delaySeconds: deps.retryDelaySeconds(outcome.attempts) };
  }
  if (outcome.kind === "failed") return deadLetter(record, outcome.reason, deps);
  return outcome;
}

async function deadLetter(record: SQSRecord, reason: string, deps: TurnRecordDeps): Promise<TurnRecordOutcome> {
  await deadLetterRecord(deps.sqs, deps.dlqUrl, record, reason);
  deps.log.error("turn moved to the dead-letter queue", { messageId: record.messageId, reason });
  return { kind: "dead-lettered", reason };
}
