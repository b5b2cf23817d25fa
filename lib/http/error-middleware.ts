import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyResult } from "aws-lambda";
import type { Log } from "../log/log.ts";

/**
 * An unexpected failure (DynamoDB or SQS unavailable) answers 500 without details, so Twilio records the failure
 * and nothing internal leaks; the error goes to the log.
 */
export function internalErrorResponse(log: Pick<Log, "error">): MiddlewareObj<unknown, APIGatewayProxyResult> {
  return {
    onError: (request) => {
      log.error("request failed", request.error instanceof Error ? request.error : { error: String(request.error) });
      request.response = { statusCode: 500, headers: { "content-type": "text/plain" }, body: "internal error" };
    },
  };
}
