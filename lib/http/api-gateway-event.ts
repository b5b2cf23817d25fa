import type { APIGatewayProxyEvent } from "aws-lambda";
import type { FormParams } from "../twilio/signature.ts";

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

/** Form fields with blank values kept (they are signed too) and repeated keys as arrays. */
export function parseForm(body: string): FormParams {
  const out: FormParams = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

export function firstValue(params: FormParams, key: string): string | undefined {
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}
