/**
 * A local stand-in for Amazon Bedrock Runtime's Converse operation over real HTTP, for the real
 * `@aws-sdk/client-bedrock-runtime` client pointed at it through `endpoint` (or AWS_ENDPOINT_URL_BEDROCK_RUNTIME).
 * It serves `POST /model/{modelId}/converse` (restJson1: the model id is one URL-encoded path segment, so `:` and
 * an ARN's `/` arrive as %3A and %2F), checks the body as Bedrock does (bedrock-converse-checks.ts), records every
 * request, answers with Converse's response shape, and fails with Bedrock's error shape: the HTTP status, an
 * `x-amzn-ErrorType` header and a JSON `{ "message": ... }` body. Faults can be queued to exercise retries.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FaultQueue } from "../../infra/local/fault-queue.ts";
import { readRequestBody } from "../../infra/local/request-body.ts";
import { type ContentBlockJson, type ConverseBody, converseProblem } from "./bedrock-converse-checks.ts";

/** Converse's errors and their HTTP statuses, as the service model declares them. */
export const BEDROCK_ERROR_STATUS = {
  AccessDeniedException: 403,
  InternalServerException: 500,
  ModelErrorException: 424,
  ModelNotReadyException: 429,
  ModelTimeoutException: 408,
  ResourceNotFoundException: 404,
  ServiceQuotaExceededException: 400,
  ServiceUnavailableException: 503,
  ThrottlingException: 429,
  ValidationException: 400,
} as const;

export type BedrockErrorType = keyof typeof BEDROCK_ERROR_STATUS;

/** What the model says: plain text (one text block), or the content blocks themselves. */
export type StandInAnswer = string | { content: unknown[]; stopReason?: string };

export interface ConverseCall {
  /** Decoded from the path. */
  modelId: string;
  body: ConverseBody;
}

export type BedrockResponder = (call: ConverseCall) => StandInAnswer | Promise<StandInAnswer>;

export interface BedrockStandInOptions {
  /** Default: `You said: <the last user text>`. */
  responder?: BedrockResponder;
  /** Model ids and ARNs it serves; any other gets Bedrock's "The provided model identifier is invalid." Default: any. */
  models?: readonly string[];
}

export interface RecordedConverse {
  /** The path as sent, still encoded. */
  path: string;
  modelId: string;
  /** From the SigV4 credential scope; null when the request was not SigV4-signed. */
  signing: { region: string; service: string } | null;
  /** The parsed JSON body, or null when it was not JSON. */
  body: unknown;
}

/**
 * Applies to the next Converse request(s), `times` of them (default 1), after `skip` go through normally.
 * error: Bedrock's error answer (`fields` adds members such as ModelErrorException's originalStatusCode);
 * hang: never answers (the client's timeout must fire); drop: the connection is destroyed without an answer;
 * malformed-json: a 200 whose body is cut short; no-output: a 200 without `output`.
 */
export type BedrockFault = { skip?: number; times?: number } & (
  | { kind: "error"; type: BedrockErrorType; message?: string; fields?: Record<string, unknown> }
  | { kind: "hang" }
  | { kind: "drop" }
  | { kind: "malformed-json" }
  | { kind: "no-output" }
);

export interface BedrockStandIn {
  /** e.g. http://127.0.0.1:54321; the client's `endpoint`. */
  url: string;
  requests: RecordedConverse[];
  injectFault(fault: BedrockFault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const MAX_REQUEST_BYTES = 25 * 1024 * 1024;
const CONVERSE_PATH = /^\/model\/([^/]+)\/converse$/;
const CREDENTIAL_SCOPE = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export async function startBedrockStandIn(options: BedrockStandInOptions = {}): Promise<BedrockStandIn> {
  const responder = options.responder ?? echo;
  const requests: RecordedConverse[] = [];
  const faults = new FaultQueue<BedrockFault>();

  async function converse(modelId: string, body: unknown, fault: BedrockFault | undefined): Promise<Reply | null> {
    if (fault?.kind === "error") return errorReply(fault.type, fault.message, fault.fields);
    if (fault?.kind === "hang" || fault?.kind === "drop") return null;
    if (fault?.kind === "malformed-json") return { status: 200, body: '{"output":{"message":{"role":"assistant","con' };
    const problem = converseProblem(body);
    if (problem) return errorReply("ValidationException", problem);
    if (options.models && !options.models.includes(modelId)) {
      return errorReply("ValidationException", "The provided model identifier is invalid.");
    }
    const started = Date.now();
    const answer = await responder({ modelId, body: body as ConverseBody });
    const content = typeof answer === "string" ? [{ text: answer }] : answer.content;
    const stopReason = typeof answer === "string" ? "end_turn" : (answer.stopReason ?? "end_turn");
    const inputTokens = Math.ceil(JSON.stringify(body).length / 4);
    const outputTokens = Math.ceil(JSON.stringify(content).length / 4);
    const usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
    const metrics = { latencyMs: Date.now() - started };
    const output = fault?.kind === "no-output" ? {} : { output: { message: { role: "assistant", content } } };
    return { status: 200, body: JSON.stringify({ ...output, stopReason, usage, metrics }) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://stand-in").pathname;
    const encodedId = CONVERSE_PATH.exec(path)?.[1];
    const read = await readRequestBody(req, MAX_REQUEST_BYTES);
    if (read.kind === "aborted") return;
    if (read.kind === "too-large") return send(res, errorReply("ValidationException", "Input is too long."));
    if (req.method !== "POST" || encodedId === undefined) {
      // What AWS answers for a path no operation binds (an ARN whose `/` was not encoded lands here).
      return send(res, awsError(404, "UnknownOperationException", "Unknown operation."));
    }
    const modelId = decodeURIComponent(encodedId);
    const body = parseJson(read.body.toString("utf8"));
    const scope = CREDENTIAL_SCOPE.exec(String(req.headers.authorization ?? ""));
    const signing = scope?.[1] && scope[2] ? { region: scope[1], service: scope[2] } : null;
    requests.push({ path, modelId, signing, body });
    if (signing?.service !== "bedrock") {
      return send(res, awsError(403, "MissingAuthenticationTokenException", "Missing Authentication Token"));
    }
    const fault = faults.take();
    if (fault?.kind === "drop") {
      req.socket.destroy();
      return;
    }
    const reply = await converse(modelId, body, fault);
    // A hang answers nothing; close() ends the connection.
    if (reply) send(res, reply);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, errorReply("InternalServerException", "The stand-in failed.")));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    injectFault(fault) {
      faults.push(fault);
    },
    clearFaults() {
      faults.clear();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The images of one recorded message, decoded: what the model would see. */
export function recordedImages(content: readonly ContentBlockJson[]): Array<{ format: string; bytes: Buffer }> {
  return content.flatMap((block) =>
    "image" in block ? [{ format: block.image.format, bytes: Buffer.from(block.image.source.bytes, "base64") }] : [],
  );
}

function echo(call: ConverseCall): string {
  const last = call.body.messages.at(-1);
  const text = last?.content.find((block): block is { text: string } => "text" in block)?.text ?? "";
  return `You said: ${text}`;
}

function errorReply(type: BedrockErrorType, message?: string, fields?: Record<string, unknown>): Reply {
  return awsError(BEDROCK_ERROR_STATUS[type], type, message ?? defaultMessage(type), fields);
}

/**
 * restJson1 names the error in `x-amzn-ErrorType`; AWS services may append `:` and a namespace URI, which clients
 * must ignore, so the stand-in appends one to keep the SDK's parsing honest.
 */
function awsError(status: number, type: string, message: string, fields?: Record<string, unknown>): Reply {
  return {
    status,
    headers: { "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
    body: JSON.stringify({ message, ...fields }),
  };
}

function defaultMessage(type: BedrockErrorType): string {
  switch (type) {
    case "ThrottlingException":
      return "Too many requests, please wait before trying again.";
    case "ModelTimeoutException":
      return "Model has timed out in processing the request. Try your request again.";
    case "AccessDeniedException":
      return "You don't have access to the model with the specified model ID.";
    case "ModelErrorException":
      return "The system encountered an unexpected error during processing. Try your request again.";
    default:
      return `${type} (stand-in)`;
  }
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const body = Buffer.from(reply.body, "utf8");
  res.writeHead(reply.status, {
    "content-type": "application/json",
    "content-length": body.length,
    "x-amzn-requestid": randomUUID(),
    ...reply.headers,
  });
  res.end(body);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
