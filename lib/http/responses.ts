import type { APIGatewayProxyResult } from "aws-lambda";

/** Empty TwiML: Twilio sends nothing back itself; replies go through the REST API. */
export function emptyTwiml(): APIGatewayProxyResult {
  return { statusCode: 200, headers: { "content-type": "text/xml" }, body: "<Response/>" };
}

export function textResponse(statusCode: number, body: string): APIGatewayProxyResult {
  return { statusCode, headers: { "content-type": "text/plain; charset=utf-8" }, body };
}
