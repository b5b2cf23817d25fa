import type { IncomingMessage, ServerResponse } from "node:http";
import { trimTrailingSlashes } from "../../lib/admin/trailing-slashes.ts";
import { isAdminAuthorised } from "./admin-token.ts";
import { type ReceivedRequest, toFunctionUrlEvent, toRestApiEvent } from "./http-events.ts";
import type { GatewayHandlers, GatewayLimits } from "./http-gateway.ts";
import { localLambdaContext } from "./lambda-context.ts";
import { readRequestBody } from "./request-body.ts";
import { parseRequestTarget } from "./request-target.ts";

/**
 * One request that Node parsed: refused with a 4xx naming what is wrong (Host, request target, token, path, method,
 * body size), or translated into the event the deployed function would get and answered with its result.
 */
export async function serveRequest(
  req: IncomingMessage,
  res: ServerResponse,
  handlers: GatewayHandlers,
  limits: GatewayLimits,
): Promise<void> {
  const method = req.method ?? "GET";
  const target = parseRequestTarget(req.url ?? "");
  const shownPath = target.ok ? target.url.pathname.slice(0, 200) : "(bad request target)";
  const answer = (status: number, headers: Record<string, string>, body: string) => {
    handlers.onRequest?.(`${method} ${shownPath} -> ${status}`);
    send(res, status, headers, body);
  };
  const text = (status: number, message: string, headers: Record<string, string> = {}) =>
    answer(status, { "content-type": "text/plain", ...headers }, message);

  if (!target.ok) return text(400, target.problem);
  const url = target.url;
  const isAdmin = url.pathname === "/admin" || url.pathname.startsWith("/admin/");
  // The token comes before any other work on /admin, the body included.
  if (isAdmin && !isAdminAuthorised(req.headers.authorization, handlers.adminToken)) {
    return answer(
      401,
      { "content-type": "application/json" },
      JSON.stringify({ error: { code: "unauthorized", message: "missing or wrong admin token" } }),
    );
  }
  if (req.httpVersion === "1.1" && req.headers.host === undefined) {
    return text(400, "Host header: required in HTTP/1.1 requests (any value will do; it is not used)");
  }
  const resource = trimTrailingSlashes(url.pathname);
  if (!isAdmin && !handlers.webhookPaths.has(resource)) return text(404, "not found");
  if (!isAdmin && method !== "POST") return text(405, "use POST", { allow: "POST" });

  const read = await readRequestBody(req, limits.maxBodyBytes);
  // Nobody is left to answer; the socket is already closed or closing.
  if (read.kind === "aborted") return void res.destroy();
  if (read.kind === "too-large") {
    return text(413, `request body too large (at most ${limits.maxBodyBytes} bytes)`, { connection: "close" });
  }
  const request: ReceivedRequest = {
    method,
    url,
    headers: req.headers,
    body: read.body.toString("utf8"),
    sourceIp: req.socket.remoteAddress ?? "",
  };
  try {
    if (isAdmin) {
      const rawPath = url.pathname.slice("/admin".length) || "/";
      const result = await handlers.admin(toFunctionUrlEvent(request, rawPath), localLambdaContext("admin"));
      return answer(result.statusCode ?? 200, stringHeaders(result.headers), result.body ?? "");
    }
    const result = await handlers.inbound(toRestApiEvent(request, resource), localLambdaContext("inbound"));
    return answer(result.statusCode, stringHeaders(result.headers), result.body);
  } catch (error) {
    // Only a handler that threw gets here: the server failed, not the caller.
    handlers.onError?.(error);
    return text(500, "internal error");
  }
}

function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([key, value]) => [key, String(value)]));
}

export function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  // The connection may have gone (a client that gave up, a parser error that closed it).
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, headers);
  res.end(body);
}
