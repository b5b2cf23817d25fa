import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { processTurnRecord } from "../lib/agent/process-turn-record.ts";
import { processFifoBatch } from "../lib/queue/fifo-batch.ts";
import { agentDeps } from "../lib/wiring/agent.ts";
import { logger } from "../lib/wiring/logger.ts";
import { tracingMiddleware } from "../lib/wiring/tracing.ts";

/**
 * Turns queue -> the account's agent (an OpenAI-compatible endpoint, Bedrock, or the echo agent) -> replies queue.
 * One sender's turns in order, each answered at most once (lib/agent/answer-turn.ts).
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(tracingMiddleware())
  .use(injectLambdaContext(logger))
  .handler(async (event, context) => {
    const deps = agentDeps();
    return (await processFifoBatch(event, context, (record) => processTurnRecord(record, deps), deps)).response;
  });
