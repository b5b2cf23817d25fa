/**
 * Turns whatever a ConverseCommand threw into a ModelError: which failures are worth another try, and a message that
 * names the failure without the conversation or the answer. Error names and statuses are Bedrock Runtime's
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html, "Errors").
 */
import { ModelError } from "./chat-model.ts";
import { quoteServerText } from "./model-error-text.ts";

/**
 * Capacity and service faults: ThrottlingException (429), ModelNotReadyException (429, the SDK's own docs say to
 * retry), ModelTimeoutException (408), InternalServerException (500), ServiceUnavailableException (503).
 * ServiceQuotaExceededException (400) is here too: AWS documents it as "you can resubmit your request later".
 */
const RETRYABLE = new Set([
  "ThrottlingException",
  "ModelNotReadyException",
  "ModelTimeoutException",
  "InternalServerException",
  "ServiceUnavailableException",
  "ServiceQuotaExceededException",
]);

/**
 * The request itself is refused: a bad model id or request (ValidationException), no permission or no model access
 * (AccessDeniedException), an unknown model, profile or ARN (ResourceNotFoundException). Credentials that cannot be
 * found are a configuration problem too; a retry finds none either.
 */
const TERMINAL = new Set([
  "ValidationException",
  "AccessDeniedException",
  "ResourceNotFoundException",
  "CredentialsProviderError",
]);

/** `texts`: everything we sent that Bedrock might quote back (system, history, message, sender id). */
export function bedrockModelError(error: unknown, texts: readonly string[]): ModelError {
  const failure = describe(error);
  const kind = classify(failure);
  const status = failure.status === undefined ? "" : ` (HTTP ${failure.status})`;
  const quoted = failure.message === undefined ? "" : `: ${quoteServerText(failure.message, texts)}`;
  const request = failure.requestId === undefined ? "" : ` [request ${failure.requestId}]`;
  // A 2xx that still failed is an answer the SDK could not read (not JSON, cut short).
  const code = failure.status !== undefined && failure.status < 300 ? "MalformedResponse" : failure.name;
  return new ModelError(kind, `Bedrock Converse failed with ${failure.name}${status}${quoted}${request}`, code);
}

interface Failure {
  name: string;
  /** HTTP status when the service (or something in front of it) answered; undefined when nothing did. */
  status?: number;
  message?: string;
  requestId?: string;
  /** ModelErrorException: the status the model itself answered with. */
  originalStatusCode?: number;
}

function classify(failure: Failure): "retryable" | "terminal" {
  if (RETRYABLE.has(failure.name)) return "retryable";
  if (TERMINAL.has(failure.name)) return "terminal";
  // ModelErrorException (424) wraps the model's own failure: a model-side 5xx, 429 or timeout may pass, but a
  // model-side 4xx refuses this very request and will refuse it again. Without a status, another try is cheap.
  if (failure.name === "ModelErrorException") return isRetryableStatus(failure.originalStatusCode);
  // Anything else that has an HTTP status is judged by it; no status means no answer at all (a timeout, a refused
  // or dropped connection, a body that was not JSON), which another try may cure.
  return isRetryableStatus(failure.status);
}

/**
 * 408, 429 and 5xx may pass, and so may a 2xx or 3xx that still failed (an answer the SDK could not read); any other
 * 4xx refuses this very request and will refuse it again.
 */
function isRetryableStatus(status: number | undefined): "retryable" | "terminal" {
  if (status === undefined || status < 400 || status >= 500 || status === 408 || status === 429) return "retryable";
  return "terminal";
}

/**
 * The SDK's service exceptions carry `name`, `message` and `$metadata` (httpStatusCode, requestId); its network and
 * timeout errors carry a Node `code` (ECONNREFUSED, ECONNRESET, ETIMEDOUT) or the name TimeoutError, and no status.
 */
function describe(error: unknown): Failure {
  if (typeof error !== "object" || error === null) return { name: "UnknownError" };
  const fields = error as Record<string, unknown>;
  const metadata = (fields.$metadata ?? {}) as Record<string, unknown>;
  const status = typeof metadata.httpStatusCode === "number" ? metadata.httpStatusCode : undefined;
  const isService = fields.$fault === "client" || fields.$fault === "server";
  const code = typeof fields.code === "string" && /^E[A-Z0-9_]{2,40}$/.test(fields.code) ? fields.code : undefined;
  const name = typeof fields.name === "string" && /^\w{1,64}$/.test(fields.name) ? fields.name : "UnknownError";
  return {
    // A Node code says more than the SDK's names: it calls a reset connection a TimeoutError too.
    name: code ?? name,
    ...(status !== undefined ? { status } : {}),
    // Only a service's message is quoted: the SDK's own texts can quote the response body.
    ...(isService && typeof fields.message === "string" ? { message: fields.message } : {}),
    ...(typeof metadata.requestId === "string" ? { requestId: metadata.requestId } : {}),
    ...(typeof fields.originalStatusCode === "number" ? { originalStatusCode: fields.originalStatusCode } : {}),
  };
}

/** Texts we sent are removed before the quote is cut, so that a cut cannot leave half of one behind. */
