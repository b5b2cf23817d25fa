import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { processReplyBatch } from "../lib/outbound/process-reply-batch.ts";
import { logger } from "../lib/wiring/logger.ts";
import { outboundDeps } from "../lib/wiring/outbound.ts";
import { tracingMiddleware } from "../lib/wiring/tracing.ts";

/** Replies queue -> Twilio Messages API, chunk by chunk, exactly once (lib/outbound/process-reply-batch.ts). */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(tracingMiddleware())
  .use(injectLambdaContext(logger))
  .handler(async (event, context) => (await processReplyBatch(event, context, outboundDeps())).response);
