import { processPartialResponse, SqsFifoPartialProcessorAsync } from "@aws-lambda-powertools/batch";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { processReplyRecord } from "../lib/outbound/process-reply-record.ts";
import { logger } from "../lib/wiring/logger.ts";
import { outboundDeps } from "../lib/wiring/outbound.ts";

// FIFO: after a failure in one recipient's group, that group's later replies wait too (order kept); other
// recipients' replies in the batch still go out.
const processor = new SqsFifoPartialProcessorAsync();

const sendReply = async (record: SQSRecord) => {
  await processReplyRecord(record, outboundDeps());
};

/** Replies queue -> Twilio Messages API, chunk by chunk, exactly once. */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .handler((event, context) =>
    processPartialResponse(event, sendReply, processor, { context, skipGroupOnError: true }),
  );
