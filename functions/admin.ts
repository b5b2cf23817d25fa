import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { adminInternalError } from "../lib/admin/error-middleware.ts";
import { handleAdminRequest } from "../lib/admin/handle-admin-request.ts";
import { adminDeps } from "../lib/wiring/admin.ts";
import { log, logger } from "../lib/wiring/logger.ts";
import { tracingMiddleware } from "../lib/wiring/tracing.ts";

/** Lambda Function URL (AWS_IAM) -> operator API for smsctl: pairing, allowlist, message send, status, capabilities. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(tracingMiddleware())
  .use(injectLambdaContext(logger))
  .use(adminInternalError(log))
  .handler((event) => handleAdminRequest(event, adminDeps()));
