import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from "aws-lambda";

export interface ReceivedRequest {
  method: string;
  url: URL;
  headers: IncomingMessage["headers"];
  body: string;
  sourceIp: string;
}

function singleHeaders(headers: IncomingMessage["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(",") : value;
  }
  return out;
}

/** The event API Gateway's REST API (Lambda proxy integration) would send for this request. */
export function toRestApiEvent(request: ReceivedRequest, resource: string): APIGatewayProxyEvent {
  const multiQuery: Record<string, string[]> = {};
  for (const [key, value] of request.url.searchParams) multiQuery[key] = [...(multiQuery[key] ?? []), value];
  const hasQuery = Object.keys(multiQuery).length > 0;
  const headers = singleHeaders(request.headers);
  return {
    resource,
    path: request.url.pathname,
    httpMethod: request.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, [value]])),
    queryStringParameters: hasQuery
      ? Object.fromEntries(Object.entries(multiQuery).map(([key, values]) => [key, values.at(-1) ?? ""]))
      : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: null,
    stageVariables: null,
    body: request.body,
    isBase64Encoded: false,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      authorizer: null,
      protocol: "HTTP/1.1",
      httpMethod: request.method,
      path: request.url.pathname,
      stage: "local",
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: "local",
      resourcePath: resource,
      identity: {
        sourceIp: request.sourceIp,
        userAgent: headers["user-agent"] ?? null,
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        user: null,
        userArn: null,
      },
    },
  };
}

/** The event a Lambda Function URL would send, with `rawPath` relative to the admin mount point. */
export function toFunctionUrlEvent(request: ReceivedRequest, rawPath: string): APIGatewayProxyEventV2 {
  const headers = singleHeaders(request.headers);
  const query = Object.fromEntries(request.url.searchParams);
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString: request.url.search.replace(/^\?/, ""),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(request.body ? { body: request.body } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: request.url.host,
      domainPrefix: "local",
      http: {
        method: request.method,
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: request.sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
  };
}
