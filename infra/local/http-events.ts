import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from "aws-lambda";

export interface ReceivedRequest {
  method: string;
  /** Path and query; the origin is fixed by the gateway (the Host header is never trusted). */
  url: URL;
  headers: IncomingMessage["headers"];
  body: string;
  sourceIp: string;
}

/**
 * A record without a prototype: caller-chosen names such as `__proto__`, `constructor` or `toString` (query keys,
 * header names) become ordinary keys instead of reaching, or replacing, Object.prototype's members.
 */
function plainRecord<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const record: Record<string, V> = Object.create(null);
  for (const [key, value] of entries) record[key] = value;
  return record;
}

function singleHeaders(headers: IncomingMessage["headers"]): Record<string, string> {
  const entries: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) entries.push([key, Array.isArray(value) ? value.join(",") : value]);
  }
  return plainRecord(entries);
}

/** Each query key with all its values, in the order received. */
function groupedQuery(url: URL): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of url.searchParams) {
    const values = grouped.get(key);
    if (values) values.push(value);
    else grouped.set(key, [value]);
  }
  return grouped;
}

/** The event API Gateway's REST API (Lambda proxy integration) would send for this request. */
export function toRestApiEvent(request: ReceivedRequest, resource: string): APIGatewayProxyEvent {
  const query = groupedQuery(request.url);
  const headers = singleHeaders(request.headers);
  return {
    resource,
    path: request.url.pathname,
    httpMethod: request.method,
    headers,
    multiValueHeaders: plainRecord(Object.entries(headers).map(([key, value]) => [key, [value]])),
    // Like API Gateway: the last value of a repeated key, and null rather than an empty object.
    queryStringParameters:
      query.size > 0 ? plainRecord([...query].map(([key, values]) => [key, values.at(-1) ?? ""])) : null,
    multiValueQueryStringParameters: query.size > 0 ? plainRecord(query) : null,
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
  // A Function URL joins a repeated key's values with commas.
  const query = [...groupedQuery(request.url)].map(([key, values]): [string, string] => [key, values.join(",")]);
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString: request.url.search.replace(/^\?/, ""),
    headers,
    ...(query.length > 0 ? { queryStringParameters: plainRecord(query) } : {}),
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
