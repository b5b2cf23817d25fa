import type { APIGatewayProxyEvent } from "aws-lambda";

/** A REST API proxy event as API Gateway builds it for a Twilio POST (form body, optionally base64). */
export function restApiEvent(
  resource: string,
  params: Record<string, string>,
  signature: string | null,
  query?: string,
  options: { base64?: boolean; headerCase?: "lower" | "twilio" } = {},
): APIGatewayProxyEvent {
  const body = new URLSearchParams(params).toString();
  const signatureHeader = options.headerCase === "lower" ? "x-twilio-signature" : "X-Twilio-Signature";
  const headers: Record<string, string> = {
    "Content-Type": "application/x-www-form-urlencoded",
    ...(signature === null ? {} : { [signatureHeader]: signature }),
  };
  const multiQuery: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(query ?? "")) (multiQuery[key] ??= []).push(value);
  const hasQuery = Object.keys(multiQuery).length > 0;
  return {
    resource,
    path: resource,
    httpMethod: "POST",
    headers,
    multiValueHeaders: {},
    queryStringParameters: hasQuery
      ? Object.fromEntries(Object.entries(multiQuery).map(([k, v]) => [k, v[0] ?? ""]))
      : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: null,
    stageVariables: null,
    body: options.base64 ? Buffer.from(body).toString("base64") : body,
    isBase64Encoded: options.base64 ?? false,
    requestContext: {} as APIGatewayProxyEvent["requestContext"],
  };
}
