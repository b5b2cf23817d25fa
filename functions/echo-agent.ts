import { processPartialResponse, SqsFifoPartialProcessorAsync } from "@aws-lambda-powertools/batch";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { echoReply } from "../lib/agent/echo-agent.ts";
import { parseQueueMessage, turnSchema } from "../lib/queue/messages.ts";
import { logger } from "../lib/wiring/logger.ts";
import { publisher } from "../lib/wiring/queues.ts";

const processor = new SqsFifoPartialProcessorAsync();

const answerTurn = async (record: SQSRecord) => {
  const turn = parseQueueMessage(turnSchema, record.body, "turn");
  await publisher().sendReply(echoReply(turn));
};

/** Turns queue -> a reply quoting the text: the stand-in agent until yours consumes the turns queue. */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .handler((event, context) =>
    processPartialResponse(event, answerTurn, processor, { context, skipGroupOnError: true }),
  );
