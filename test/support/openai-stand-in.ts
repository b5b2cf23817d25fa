/**
 * A local stand-in for an OpenAI-compatible Chat Completions endpoint (`POST /v1/chat/completions`), for tests over
 * real HTTP. It records every request, refuses invalid ones the way OpenAI does (see openai-stand-in-checks.ts),
 * answers valid ones through a pluggable responder with OpenAI's response shape, and can be told to fail:
 * rate limits, server errors, answers that never come, bodies that cannot be read.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FaultQueue } from "../../infra/local/fault-queue.ts";
import { readRequestText } from "../../infra/local/request-body.ts";
import {
  type CheckedRequest,
  checkChatBody,
  checkEnvelope,
  type StandInChatRequest,
  type StandInRejection,
} from "./openai-stand-in-checks.ts";

export type {
  StandInChatMessage,
  StandInChatRequest,
  StandInContentPart,
  StandInRejection,
} from "./openai-stand-in-checks.ts";

export interface OpenAiStandInOptions {
  /** The only model it serves; any other gets OpenAI's 404 model_not_found. */
  model: string;
  /** When set, every request must carry `Authorization: Bearer <apiKey>` (else 401). */
  apiKey?: string;
  /** Default "/v1"; requests go to `${basePath}/chat/completions`. */
  basePath?: string;
  /** Default: `Answer to: <the last user message's text>`. */
  responder?: Responder;
}

/** The assistant message's content: text, null, or an array of parts (as some servers answer). */
export type StandInAnswer = string | null | ReadonlyArray<Record<string, unknown>>;
export type Responder = (request: StandInChatRequest) => StandInAnswer | Promise<StandInAnswer>;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed body; undefined when it was not JSON. */
  json: unknown;
  /** The request when it passed every check, else null. */
  chat: StandInChatRequest | null;
  /** Why it was refused, else null. */
  rejection: StandInRejection | null;
}

/**
 * Applies to the next valid request(s): `times` of them (default 1), after letting `skip` go through. Invalid
 * requests are refused without using up a fault.
 */
export type OpenAiFault = { skip?: number; times?: number } & OpenAiFaultKind;

export type OpenAiFaultKind =
  /** OpenAI's error JSON with this status and any extra headers; a 429 carries `retry-after` (default 1 s). */
  | {
      kind: "http";
      status: number;
      message?: string;
      code?: string | null;
      retryAfterSeconds?: number;
      headers?: Record<string, string>;
    }
  /** No answer until the client gives up (its timeout) or the stand-in closes. */
  | { kind: "timeout" }
  /** The connection is dropped without an answer. */
  | { kind: "drop" }
  /** 200 with a body that is not JSON. */
  | { kind: "malformed-json" }
  /** 200 with `choices: []`. */
  | { kind: "no-choices" }
  /** 200 with `content: null`. */
  | { kind: "null-content" }
  /** 200 with exactly this JSON body. */
  | { kind: "completion"; body: unknown };

export interface OpenAiStandIn {
  /** e.g. http://127.0.0.1:54321 */
  url: string;
  /** What a connector takes as its baseUrl: `url` + basePath. */
  baseUrl: string;
  /** Every request, valid or not, in arrival order. */
  requests: RecordedRequest[];
  /** The requests that passed every check, in arrival order. */
  chats(): StandInChatRequest[];
  /** Requests not yet answered whose client is still waiting (a client that gave up closes its connection). */
  openRequests(): number;
  setResponder(responder: Responder): void;
  injectFault(fault: OpenAiFault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

export async function startOpenAiStandIn(options: OpenAiStandInOptions): Promise<OpenAiStandIn> {
  const basePath = options.basePath ?? "/v1";
  const expectations = { path: `${basePath}/chat/completions`, model: options.model, apiKey: options.apiKey };
  const requests: RecordedRequest[] = [];
  const faults = new FaultQueue<OpenAiFault>();
  // Answers held back by a timeout fault; close() lets them go so nothing keeps the process alive.
  const held = new Set<() => void>();
  let responder = options.responder ?? echoLastUserText;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const path = new URL(req.url ?? "/", "http://stand-in").pathname;
    const json = parseJson(await readRequestText(req, MAX_REQUEST_BYTES));
    const envelope = checkEnvelope(method, path, req.headers, expectations);
    const checked: CheckedRequest = envelope ? { chat: null, rejection: envelope } : checkChatBody(json, options.model);
    requests.push({ method, path, headers: req.headers, json, ...checked });
    if (checked.rejection !== null) {
      sendJson(res, checked.rejection.status, errorBody(checked.rejection));
      return;
    }
    await answer(res, checked.chat, faults.take());
  }

  async function answer(res: ServerResponse, chat: StandInChatRequest, fault: OpenAiFault | undefined): Promise<void> {
    switch (fault?.kind) {
      case "http":
        sendJson(res, fault.status, errorBody(faultError(fault)), faultHeaders(fault));
        return;
      case "timeout":
        await holdUntilClosed(res, held);
        return;
      case "drop":
        res.destroy();
        return;
      case "malformed-json":
        send(res, 200, `{"id": "chatcmpl-cut", "object": "chat.completion", "choices": [{"index": 0, "mess`);
        return;
      case "no-choices":
        sendJson(res, 200, { ...completion(chat, ""), choices: [] });
        return;
      case "null-content":
        sendJson(res, 200, completion(chat, null));
        return;
      case "completion":
        sendJson(res, 200, fault.body);
        return;
      case undefined:
        sendJson(res, 200, completion(chat, await responder(chat)));
    }
  }

  let open = 0;
  const server = createServer((req, res) => {
    open += 1;
    res.once("close", () => {
      open -= 1;
    });
    handle(req, res).catch(() => {
      const failure = { status: 500, message: "stand-in failure", type: "server_error", param: null, code: null };
      sendJson(res, 500, errorBody(failure));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    baseUrl: `${url}${basePath}`,
    requests,
    chats: () => requests.flatMap((request) => (request.chat ? [request.chat] : [])),
    openRequests: () => open,
    setResponder(next) {
      responder = next;
    },
    injectFault(fault) {
      faults.push(fault);
    },
    clearFaults() {
      faults.clear();
    },
    async close() {
      for (const release of held) release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The default responder: proves the request reached the model by quoting the newest user text. */
export function echoLastUserText(chat: StandInChatRequest): string {
  const content = chat.messages.at(-1)?.content ?? "";
  const text =
    typeof content === "string"
      ? content
      : content.flatMap((part) => (part.type === "text" ? [part.text] : [])).join(" ");
  return `Answer to: ${text}`;
}

/** OpenAI's chat.completion object; token counts are rough (4 characters a token), as a stand-in's may be. */
function completion(chat: StandInChatRequest, content: StandInAnswer): Record<string, unknown> {
  const promptTokens = Math.ceil(JSON.stringify(chat.messages).length / 4);
  const completionTokens = Math.ceil(JSON.stringify(content ?? "").length / 4);
  return {
    id: `chatcmpl-${randomBytes(12).toString("hex")}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: chat.model,
    choices: [
      { index: 0, message: { role: "assistant", content, refusal: null }, logprobs: null, finish_reason: "stop" },
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}

/** OpenAI's wording for the statuses tests inject most; a fault's own message and code win. */
function faultError(fault: Extract<OpenAiFault, { kind: "http" }>): StandInRejection {
  const { status } = fault;
  const preset =
    status === 429
      ? {
          message: "Rate limit reached for requests. Please try again in 1s.",
          type: "requests",
          code: "rate_limit_exceeded",
        }
      : status >= 500
        ? {
            message: "The server had an error while processing your request. Sorry about that!",
            type: "server_error",
            code: null,
          }
        : { message: `Request refused (HTTP ${status})`, type: "invalid_request_error", code: null };
  return {
    status,
    message: fault.message ?? preset.message,
    type: preset.type,
    param: null,
    code: fault.code === undefined ? preset.code : fault.code,
  };
}

function faultHeaders(fault: Extract<OpenAiFault, { kind: "http" }>): Record<string, string> {
  const seconds = fault.retryAfterSeconds ?? (fault.status === 429 ? 1 : undefined);
  return { ...(seconds === undefined ? {} : { "retry-after": String(seconds) }), ...fault.headers };
}

function errorBody(rejection: StandInRejection): { error: Omit<StandInRejection, "status"> } {
  const { status: _status, ...error } = rejection;
  return { error };
}

/** Resolves once the client hangs up (its timeout fired) or the stand-in closes. */
function holdUntilClosed(res: ServerResponse, held: Set<() => void>): Promise<void> {
  return new Promise((resolve) => {
    const release = () => {
      held.delete(release);
      res.destroy();
      resolve();
    };
    held.add(release);
    res.on("close", release);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(body), headers);
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
