import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyResult } from "aws-lambda";
import type { Log } from "../log/log.ts";

/**
 * An unexpected failure (DynamoDB or SQS unavailable, bad runtime config) answers `response()` without details, so
 * the caller sees a plain failure and nothing internal leaks; the error goes to the log.
 */
export function internalErrorMiddleware<Result>(
  log: Pick<Log, "error">,
  logMessage: string,
  response: () => Result,
): MiddlewareObj<unknown, Result> {
  return {
    onError: (request) => {
      log.error(logMessage, request.error instanceof Error ? request.error : { error: String(request.error) });
      request.response = response();
    },
  };
}

/** The webhook's 500: Twilio records the failure. */
export function internalErrorResponse(log: Pick<Log, "error">): MiddlewareObj<unknown, APIGatewayProxyResult> {
  return internalErrorMiddleware<APIGatewayProxyResult>(log, "request failed", () => ({
    statusCode: 500,
    headers: { "content-type": "text/plain" },
    body: "internal error",
  }));
}
