import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";
import { isAdminAuthorised } from "./admin-token.ts";
import { type ReceivedRequest, toFunctionUrlEvent, toRestApiEvent } from "./http-events.ts";
import { localLambdaContext } from "./lambda-context.ts";

/** API Gateway's payload limit; a Twilio webhook is a few KB. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface GatewayHandlers {
  webhookPaths: ReadonlySet<string>;
  inbound: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
  admin: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
  adminToken: string;
  onRequest?: (line: string) => void;
  onError?: (error: unknown) => void;
}

/**
 * The HTTP face of the local gateway: webhook paths behave like the REST API stage, `/admin/*` like the admin
 * Function URL behind a bearer token (the deployed URL uses AWS_IAM instead).
 */
export function createGatewayServer(handlers: GatewayHandlers): Server {
  return createServer((req, res) => {
    serve(req, res, handlers).catch((error: unknown) => {
      handlers.onError?.(error);
      if (!res.headersSent) send(res, 500, { "content-type": "text/plain" }, "internal error");
    });
  });
}

async function serve(req: IncomingMessage, res: ServerResponse, handlers: GatewayHandlers): Promise<void> {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
  const method = req.method ?? "GET";
  const body = await readBody(req);
  if (body === null) return send(res, 413, { "content-type": "text/plain" }, "request body too large");
  const request: ReceivedRequest = {
    method,
    url,
    headers: req.headers,
    body,
    sourceIp: req.socket.remoteAddress ?? "",
  };
  const log = (status: number) => handlers.onRequest?.(`${method} ${url.pathname} -> ${status}`);

  if (url.pathname === "/admin" || url.pathname.startsWith("/admin/")) {
    if (!isAdminAuthorised(req.headers.authorization, handlers.adminToken)) {
      log(401);
      return sendJson(res, 401, { error: { code: "unauthorized", message: "missing or wrong admin token" } });
    }
    const rawPath = url.pathname.slice("/admin".length) || "/";
    const result = await handlers.admin(toFunctionUrlEvent(request, rawPath), localLambdaContext("admin"));
    log(result.statusCode ?? 200);
    return send(res, result.statusCode ?? 200, stringHeaders(result.headers), result.body ?? "");
  }

  const resource = url.pathname.replace(/\/+$/, "") || "/";
  if (!handlers.webhookPaths.has(resource)) {
    log(404);
    return send(res, 404, { "content-type": "text/plain" }, "not found");
  }
  if (method !== "POST") {
    log(405);
    return send(res, 405, { "content-type": "text/plain", allow: "POST" }, "use POST");
  }
  const result = await handlers.inbound(toRestApiEvent(request, resource), localLambdaContext("inbound"));
  log(result.statusCode);
  return send(res, result.statusCode, stringHeaders(result.headers), result.body);
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([key, value]) => [key, String(value)]));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, { "content-type": "application/json" }, JSON.stringify(body));
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, headers);
  res.end(body);
}
