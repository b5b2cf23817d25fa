import type { APIGatewayProxyEvent } from "aws-lambda";

/** Header lookup ignoring case: API Gateway keeps the caller's casing. */
export function headerValue(event: Pick<APIGatewayProxyEvent, "headers">, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

export function rawBody(event: Pick<APIGatewayProxyEvent, "body" | "isBase64Encoded">): string {
  if (!event.body) return "";
  return event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
}
