/**
 * Hostile requests as the Lambda functions receive them: the event API Gateway (REST, for the webhook) or a Function
 * URL (admin) would build, serialised to JSON and back as the Lambda runtime delivers it. Requests that would never
 * reach a function (refused by HTTP parsing, or not routed to it) have no event.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from "aws-lambda";
import { type ReceivedRequest, toFunctionUrlEvent, toRestApiEvent } from "../../../infra/local/http-events.ts";
import { parseRequestTarget } from "../../../infra/local/request-target.ts";
import { trimTrailingSlashes } from "../../../lib/admin/trailing-slashes.ts";
import type { HostileRequest } from "./hostile-requests.ts";

const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+): ?(.*)$/;
const METHOD = /^[A-Z][A-Z-]*$/;
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The request as an HTTP front end would hand it on, or undefined when it is not well-formed HTTP. */
function received(hostile: HostileRequest, lowerCaseNames: boolean): ReceivedRequest | undefined {
  const { request } = hostile;
  if (hostile.raw || hostile.halfClose || !METHOD.test(request.method)) return undefined;
  if (request.version !== undefined && !["HTTP/1.1", "HTTP/1.0"].includes(request.version)) return undefined;
  const target = parseRequestTarget(request.target);
  if (!target.ok) return undefined;
  const headers: Record<string, string> = Object.create(null);
  for (const line of request.headers.flatMap((header) => header.split("\r\n"))) {
    const match = HEADER_LINE.exec(line);
    if (!match?.[1] || /[\0\r\n]/.test(match[2] ?? "")) return undefined;
    const name = lowerCaseNames ? match[1].toLowerCase() : match[1];
    headers[name] = headers[name] === undefined ? (match[2] ?? "") : `${headers[name]},${match[2]}`;
  }
  return { method: request.method, url: target.url, headers, body: "", sourceIp: "198.51.100.7" };
}

/** Text bodies as text; anything that is not UTF-8 base64-encoded, as both front ends do with binary bodies. */
function withBody<E extends { body?: string | null; isBase64Encoded: boolean }>(event: E, body: Buffer): E {
  const roundTripped = JSON.parse(JSON.stringify(event)) as E;
  try {
    return { ...roundTripped, body: UTF8.decode(body), isBase64Encoded: false };
  } catch {
    return { ...roundTripped, body: body.toString("base64"), isBase64Encoded: true };
  }
}

/** API Gateway routes only POST on the exact webhook resource to the function. */
export function webhookEventOf(hostile: HostileRequest, webhookPath: string): APIGatewayProxyEvent | undefined {
  const request = hostile.route === "webhook" ? received(hostile, false) : undefined;
  if (request?.method !== "POST" || trimTrailingSlashes(request.url.pathname) !== webhookPath) {
    return undefined;
  }
  return withBody(toRestApiEvent(request, webhookPath), hostile.request.body);
}

/** The admin Function URL serves every method and path; `/admin` is where the local gateway mounts it. */
export function adminEventOf(hostile: HostileRequest): APIGatewayProxyEventV2 | undefined {
  const request = hostile.route === "admin" ? received(hostile, true) : undefined;
  const path = request?.url.pathname;
  if (!request || path === undefined || !(path === "/admin" || path.startsWith("/admin/"))) return undefined;
  return withBody(toFunctionUrlEvent(request, path.slice("/admin".length) || "/"), hostile.request.body);
}
