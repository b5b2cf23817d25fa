import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { internalErrorMiddleware } from "../http/error-middleware.ts";
import type { Log } from "../log/log.ts";
import { internalErrorResult } from "./handle-admin-request.ts";

/** A failure outside the request handler (missing environment, bad runtime config) still answers the JSON shape. */
export function adminInternalError(log: Pick<Log, "error">): MiddlewareObj<unknown, APIGatewayProxyStructuredResultV2> {
  return internalErrorMiddleware(log, "admin request failed", internalErrorResult);
}
