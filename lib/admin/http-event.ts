import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { AdminError } from "./admin-error.ts";

/** The parts of a Function URL (payload v2) event the admin API reads; the local gateway builds the same shape. */
export type AdminEvent = Pick<APIGatewayProxyEventV2, "rawPath" | "rawQueryString" | "body" | "isBase64Encoded"> & {
  requestContext: { http: { method: string } };
};

export function methodOf(event: AdminEvent): string {
  return event.requestContext.http.method.toUpperCase();
}

export function queryOf(event: AdminEvent): URLSearchParams {
  return new URLSearchParams(event.rawQueryString ?? "");
}

/** An empty body reads as `{}` so the error names the missing field rather than the body. */
export function jsonBodyOf(event: AdminEvent): unknown {
  if (!event.body) return {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? `: ${error.message}` : "";
    throw new AdminError(400, "invalid_json", `request body: not valid JSON${detail}`, "body");
  }
}

export function jsonResult(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
    body: JSON.stringify(body),
  };
}
