/**
 * Turns a failed Chat Completions call into a ModelError: which failures are worth another try, and a message that
 * says what went wrong without the API key, the conversation or the answer.
 */
import { ModelError } from "./chat-model.ts";
import { quoteServerText } from "./model-error-text.ts";
import { isRecord, parseJsonObject } from "./openai-json.ts";

/**
 * Client errors that another try may cure, as the OpenAI SDKs decide. Every other 4xx is the request's fault, and a
 * 3xx a wrong baseUrl (redirects are not followed: a redirected POST loses its body, or carries the key elsewhere).
 */
const RETRYABLE_CLIENT_STATUSES: ReadonlySet<number> = new Set([408, 409, 429]);

/** What the messages name the endpoint by, and the strings they must never contain. */
export interface FailureContext {
  /** The endpoint's host (never the full URL, which could carry credentials). */
  endpoint: string;
  /** The API key and every text of the conversation. */
  secrets: readonly string[];
}

export function isRetryableStatus(status: number): boolean {
  return status >= 500 || RETRYABLE_CLIENT_STATUSES.has(status);
}

/** A non-2xx answer; `code` is the HTTP status. */
export function modelErrorFromStatus(
  status: number,
  bodyText: string,
  headers: Headers,
  context: FailureContext,
): ModelError {
  const kind = isRetryableStatus(status) ? "retryable" : "terminal";
  const message = `${context.endpoint} answered HTTP ${status}${describeErrorBody(bodyText, context.secrets)}${advice(status, headers, context.endpoint)}`;
  return new ModelError(kind, message, String(status));
}

/** When to come back (429, 503), or where the endpoint moved (3xx; its host only, never a full URL). */
function advice(status: number, headers: Headers, endpoint: string): string {
  const retryAfter = headers.get("retry-after")?.trim() ?? "";
  if (/^\d{1,6}$/.test(retryAfter)) return ` (retry after ${retryAfter} s)`;
  if (status < 300 || status >= 400) return "";
  const location = hostOf(headers.get("location"), endpoint);
  return ` (a redirect${location ? ` to ${location}` : ""}: point baseUrl at the new address)`;
}

function hostOf(location: string | null, endpoint: string): string | undefined {
  try {
    return location ? new URL(location, `http://${endpoint}`).host : undefined;
  } catch {
    return undefined;
  }
}

/** No answer at all: the timeout fired, the connection failed or was dropped. Both are worth another try. */
export function modelErrorFromFailure(error: unknown, endpoint: string, timeoutMs: number): ModelError {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new ModelError("retryable", `${endpoint} did not answer within ${timeoutMs} ms`, "timeout");
  }
  return new ModelError("retryable", `${endpoint} could not be reached (${networkReason(error)})`, "network");
}

/**
 * ` (code): message` from OpenAI's `{error: {message, type, code}}`, the `{error: "..."}` some servers answer, or a
 * proxy's `{message}`; "" for anything else (an HTML error page says nothing useful). Secrets are scrubbed before
 * the quote is cut, so a cut cannot leave half a secret behind.
 */
function describeErrorBody(bodyText: string, secrets: readonly string[]): string {
  const body = parseJsonObject(bodyText);
  const error = body?.error;
  const nested = isRecord(error) ? error : undefined;
  const text = [nested?.message, error, body?.message].find((value) => typeof value === "string");
  const label = [nested?.code, nested?.type].find(
    (value) => (typeof value === "string" && /^[\w.-]{1,64}$/.test(value)) || typeof value === "number",
  );
  const code = label === undefined ? "" : ` (${label})`;
  return typeof text === "string" ? `${code}: ${quoteServerText(text, secrets)}` : code;
}

/** Node's fetch says "fetch failed" and puts the reason (ECONNREFUSED, UND_ERR_SOCKET, ...) in `cause`. */
function networkReason(error: unknown): string {
  const cause = isRecord(error) ? error.cause : undefined;
  for (const candidate of [cause, error]) {
    if (isRecord(candidate) && typeof candidate.code === "string" && /^[A-Z0-9_]{2,40}$/.test(candidate.code)) {
      return candidate.code;
    }
  }
  return error instanceof Error ? error.name : "unknown error";
}
