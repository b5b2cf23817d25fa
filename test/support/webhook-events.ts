import type { APIGatewayProxyEvent } from "aws-lambda";
import { toRestApiEvent } from "../../infra/local/http-events.ts";
import { STAGE_HOST } from "./stage.ts";

/**
 * A REST API proxy event as API Gateway builds it for a Twilio POST (form body), built by the same translator the
 * local gateway uses; optionally base64-encoded, as API Gateway does for binary media types.
 */
export function restApiEvent(
  resource: string,
  params: Record<string, string>,
  signature: string | null,
  query?: string,
  options: { base64?: boolean; headerCase?: "lower" | "twilio" } = {},
): APIGatewayProxyEvent {
  const body = new URLSearchParams(params).toString();
  const signatureHeader = options.headerCase === "lower" ? "x-twilio-signature" : "X-Twilio-Signature";
  const event = toRestApiEvent(
    {
      method: "POST",
      url: new URL(`https://${STAGE_HOST}${resource}${query ? `?${query}` : ""}`),
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        ...(signature === null ? {} : { [signatureHeader]: signature }),
      },
      body,
      sourceIp: "54.172.60.0",
    },
    resource,
  );
  return options.base64 ? { ...event, body: Buffer.from(body).toString("base64"), isBase64Encoded: true } : event;
}
