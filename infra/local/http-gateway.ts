import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";
import { quoted } from "../../lib/admin/quoted.ts";
import { answerAndClose, refuseMalformed } from "./client-error.ts";
import { send, serveRequest } from "./serve-request.ts";

export interface GatewayLimits {
  /** API Gateway's payload limit; a Twilio webhook is a few KB. */
  maxBodyBytes: number;
  /** A sender slower than this for the head, or for the whole request, gets 408 and the connection is closed. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_LIMITS: GatewayLimits = {
  maxBodyBytes: 10 * 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
};

export interface GatewayHandlers {
  webhookPaths: ReadonlySet<string>;
  inbound: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
  admin: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
  adminToken: string;
  onRequest?: (line: string) => void;
  onError?: (error: unknown) => void;
  limits?: Partial<GatewayLimits>;
}

/**
 * The HTTP face of the local gateway: webhook paths behave like the REST API stage, `/admin/*` like the admin
 * Function URL behind a bearer token (the deployed URL uses AWS_IAM instead). Bad input of any kind is answered
 * with a 4xx that names the problem; a 5xx only ever means a handler failed.
 */
export function createGatewayServer(handlers: GatewayHandlers): Server {
  const limits = { ...DEFAULT_LIMITS, ...handlers.limits };
  // The responses under way on each connection (several when requests are pipelined): a parser error must not
  // write into the middle of one that has started.
  const responses = new WeakMap<Duplex, Set<ServerResponse>>();
  const server = createServer(
    {
      // Host is never used; a missing one is refused in serveRequest() with a message that says so.
      requireHostHeader: false,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often Node enforces those timeouts; its default (30 s) would let a stalled sender linger much longer.
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    (req, res) => {
      const underWay = responses.get(req.socket) ?? new Set<ServerResponse>();
      responses.set(req.socket, underWay.add(res));
      res.on("close", () => underWay.delete(res));
      serveRequest(req, res, handlers, limits).catch((error: unknown) => {
        // Last resort (a response that could not even be written): the process keeps serving.
        handlers.onError?.(error);
        res.destroy();
      });
    },
  );
  server.on("clientError", (error: Error, socket: Duplex) => {
    const started = [...(responses.get(socket) ?? [])].some((res) => res.headersSent);
    const status = refuseMalformed(error, socket, started);
    if (status !== undefined) handlers.onRequest?.(`(malformed request) -> ${status}`);
  });
  // Node's own 417 has no body; this one says what is supported.
  server.on("checkExpectation", (req: IncomingMessage, res: ServerResponse) => {
    handlers.onRequest?.(`${req.method} (Expect header) -> 417`);
    const expectation = quoted(req.headers.expect ?? "");
    send(
      res,
      417,
      { "content-type": "text/plain" },
      `Expect header: only 100-continue is supported, got ${expectation}`,
    );
  });
  server.on("connect", (_req: IncomingMessage, socket: Duplex) => {
    handlers.onRequest?.("CONNECT -> 405");
    answerAndClose(socket, 405, "CONNECT: this gateway is not a proxy", ["allow: GET, POST"]);
  });
  return server;
}
