import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { internalErrorResponse } from "../lib/http/error-middleware.ts";
import { handleWebhook } from "../lib/inbound/handle-webhook.ts";
import { inboundDeps } from "../lib/wiring/inbound.ts";
import { log, logger } from "../lib/wiring/logger.ts";
import { tracingMiddleware } from "../lib/wiring/tracing.ts";

/** API Gateway -> Twilio webhook: verify, gate, enqueue; answers empty TwiML at once. */
export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
  .use(tracingMiddleware())
  .use(injectLambdaContext(logger))
  .use(internalErrorResponse(log))
  .handler((event) => handleWebhook(event, inboundDeps()));
