import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type AwsCredentials, regionOfFunctionUrl, signRequest } from "../aws/sigv4.ts";
import { isLoopbackHost } from "../config/webhook-url.ts";
import { CliError } from "./cli-error.ts";

export type Env = Readonly<Record<string, string | undefined>>;

export type AdminEndpoint =
  | { kind: "local"; baseUrl: string; tokenFile: string }
  | { kind: "aws"; baseUrl: string; region: string };

export interface AdminRequest {
  method: "GET" | "POST";
  /** Route path, e.g. `/pairing/approve`. */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
}

export interface TransportDeps {
  fetch: typeof fetch;
  /** The AWS credential chain (credential-provider-node's defaultProvider), only called for a deployed URL. */
  credentials: () => Promise<AwsCredentials>;
  readTextFile?: (path: string) => string;
  now?: () => Date;
}

const TIMEOUT_MS = 60_000;
const START_HINT = "is the local gateway running? (npm start)";

/** --url, else SMS_ADMIN_URL, else the local gateway; loopback URLs use the local token, others SigV4. */
export function resolveAdminEndpoint(urlOption: string | undefined, env: Env): AdminEndpoint {
  const tokenFile = resolve(env.SMS_DATA_DIR || ".data", "admin-token");
  const raw = urlOption ?? (env.SMS_ADMIN_URL || undefined);
  if (raw === undefined) {
    return { kind: "local", baseUrl: `http://127.0.0.1:${env.PORT || "8787"}/admin`, tokenFile };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(
      `--url: expected an absolute URL such as https://<id>.lambda-url.<region>.on.aws/, got "${raw}"`,
    );
  }
  const baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  if (isLoopbackHost(url.hostname)) return { kind: "local", baseUrl, tokenFile };
  if (url.protocol !== "https:") throw new CliError(`--url: a deployed admin URL must be https, got "${raw}"`);
  const region = regionOfFunctionUrl(url.hostname) ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined);
  if (region === undefined) {
    throw new CliError(`--url: cannot tell the AWS region of ${url.hostname}; set AWS_REGION`);
  }
  return { kind: "aws", baseUrl, region };
}

/** Calls one admin route; a non-2xx answer becomes a CliError carrying the server's message. */
export async function callAdmin(endpoint: AdminEndpoint, request: AdminRequest, deps: TransportDeps): Promise<unknown> {
  const url = new URL(`${endpoint.baseUrl}${request.path}`);
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  const baseHeaders: Record<string, string> = {
    accept: "application/json",
    ...(body === undefined ? {} : { "content-type": "application/json" }),
  };
  const headers =
    endpoint.kind === "local"
      ? { ...baseHeaders, authorization: `Bearer ${readLocalToken(endpoint.tokenFile, deps)}` }
      : await signedHeaders(endpoint, url, request.method, baseHeaders, body, deps);

  let response: Response;
  try {
    response = await deps.fetch(url, {
      method: request.method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const reason = networkReason(error);
    throw new CliError(
      endpoint.kind === "local"
        ? `cannot reach the local gateway at ${endpoint.baseUrl} (${reason}): ${START_HINT}`
        : `cannot reach ${endpoint.baseUrl} (${reason})`,
    );
  }
  const text = await response.text();
  const json = parseJson(text);
  if (response.ok) return json ?? {};
  throw new CliError(describeHttpFailure(endpoint, response.status, json, text));
}

function readLocalToken(tokenFile: string, deps: TransportDeps): string {
  const read = deps.readTextFile ?? ((path: string) => readFileSync(path, "utf8"));
  let token: string;
  try {
    token = read(tokenFile).trim();
  } catch {
    throw new CliError(`no admin token at ${tokenFile}: ${START_HINT}`);
  }
  if (token === "") throw new CliError(`the admin token file ${tokenFile} is empty: ${START_HINT}`);
  return token;
}

async function signedHeaders(
  endpoint: Extract<AdminEndpoint, { kind: "aws" }>,
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  deps: TransportDeps,
): Promise<Record<string, string>> {
  let credentials: AwsCredentials;
  try {
    credentials = await deps.credentials();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new CliError(`no AWS credentials for ${endpoint.baseUrl} (${detail}); set AWS_PROFILE or log in`);
  }
  const signed = await signRequest(
    { method, url, headers, ...(body === undefined ? {} : { body }) },
    { credentials, region: endpoint.region, ...(deps.now ? { date: deps.now() } : {}) },
  );
  // fetch sets Host itself from the URL (the same value that was signed) and refuses to take it from us.
  const { host: _host, ...rest } = signed;
  return rest;
}

function describeHttpFailure(endpoint: AdminEndpoint, status: number, json: unknown, text: string): string {
  if (endpoint.kind === "local" && status === 401) {
    // Usually not a bad token but the wrong gateway or data dir: say which token file was read, and from where.
    return (
      `the local gateway at ${endpoint.baseUrl} rejected the admin token read from ${endpoint.tokenFile} (HTTP 401): ` +
      "set SMS_DATA_DIR to the data dir and PORT to the port that gateway printed at start"
    );
  }
  const error = isRecord(json) && isRecord(json.error) ? json.error : undefined;
  if (error && typeof error.message === "string") return error.message;
  const awsMessage = isRecord(json) && typeof json.Message === "string" ? json.Message : undefined;
  if (endpoint.kind === "aws" && (status === 403 || status === 401)) {
    return (
      `${endpoint.baseUrl} refused the request (HTTP ${status}${awsMessage ? `: ${awsMessage}` : ""}); ` +
      "your AWS identity needs lambda:InvokeFunctionUrl on the admin function, in the URL's account and region"
    );
  }
  const snippet = (awsMessage ?? text).slice(0, 300).trim();
  return `admin API answered HTTP ${status}${snippet ? `: ${snippet}` : ""}`;
}

function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError") return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = (error as Error & { cause?: unknown }).cause;
  if (isRecord(cause) && typeof cause.code === "string") return cause.code;
  return error.message;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
