/**
 * Errors the Twilio REST adapter throws, and the pure rule that decides what a caller should do about a failure.
 * Messages carry the operation, HTTP status and Twilio error code, never the auth token or the message body,
 * and phone numbers Twilio echoes back are masked.
 */

/** What the caller should do: retry later, re-read the token once, record an opt-out, or give up. */
export type TwilioFailureKind = "retryable" | "auth" | "opted-out" | "terminal";

/** Twilio's error code for "Attempt to send to unsubscribed recipient" (the recipient texted STOP). */
export const TWILIO_OPTED_OUT_CODE = 21610;
/** Twilio's error code for "Too Many Requests". */
export const TWILIO_TOO_MANY_REQUESTS_CODE = 20429;
/** Twilio's error code for "Authentication Error". */
export const TWILIO_AUTHENTICATION_CODE = 20003;

/**
 * Decides the failure kind from the HTTP status and the Twilio error code (null when the body had none).
 * Opt-out wins over everything because retrying can never succeed and the sender gate must learn about it.
 */
export function classifyTwilioFailure(httpStatus: number, code: number | null | undefined): TwilioFailureKind {
  if (code === TWILIO_OPTED_OUT_CODE) return "opted-out";
  if (httpStatus === 429 || code === TWILIO_TOO_MANY_REQUESTS_CODE || httpStatus >= 500) return "retryable";
  if (httpStatus === 401 || code === TWILIO_AUTHENTICATION_CODE) return "auth";
  return "terminal";
}

export interface TwilioApiErrorDetails {
  operation: string;
  httpStatus: number;
  code: number | null;
  twilioMessage: string | null;
  moreInfo: string | null;
}

/** Twilio answered with an error status (4xx / 5xx). */
export class TwilioApiError extends Error {
  override readonly name = "TwilioApiError";
  readonly operation: string;
  readonly httpStatus: number;
  readonly code: number | null;
  readonly moreInfo: string | null;
  readonly kind: TwilioFailureKind;

  constructor(details: TwilioApiErrorDetails) {
    const code = details.code === null ? "" : ` code ${details.code}`;
    const text = details.twilioMessage ? `: ${details.twilioMessage}` : "";
    super(`Twilio ${details.operation} failed with HTTP ${details.httpStatus}${code}${text}`);
    this.operation = details.operation;
    this.httpStatus = details.httpStatus;
    this.code = details.code;
    this.moreInfo = details.moreInfo;
    this.kind = classifyTwilioFailure(details.httpStatus, details.code);
  }
}

/** Why the outcome is unknown: no answer in time, the connection broke, or a 2xx answer we could not read. */
export type TwilioAmbiguityReason = "timeout" | "network" | "unreadable-response";

/**
 * The request may or may not have been accepted by Twilio. A caller that must not send twice reconciles
 * (lists recent messages to the recipient) before retrying.
 */
export class TwilioTimeoutError extends Error {
  override readonly name = "TwilioTimeoutError";
  readonly kind = "ambiguous" as const;
  readonly operation: string;
  readonly reason: TwilioAmbiguityReason;

  constructor(operation: string, reason: TwilioAmbiguityReason, options?: { cause?: unknown }) {
    super(`Twilio ${operation} outcome unknown (${reason})`, options);
    this.operation = operation;
    this.reason = reason;
  }
}

/** The kind of any error the adapter throws, or null for errors that did not come from it. */
export function twilioFailureKind(error: unknown): TwilioFailureKind | "ambiguous" | null {
  if (error instanceof TwilioApiError || error instanceof TwilioTimeoutError) return error.kind;
  return null;
}

/**
 * Builds a TwilioApiError from an error response body (Twilio's `{code, message, more_info, status}` JSON, or
 * anything else a proxy may answer). `secrets` are strings that must not appear in the message (token, body).
 */
export function twilioApiErrorFromResponse(
  operation: string,
  httpStatus: number,
  bodyText: string,
  secrets: readonly string[] = [],
): TwilioApiError {
  const body = parseJsonObject(bodyText);
  const code = typeof body?.code === "number" && Number.isInteger(body.code) ? body.code : null;
  const rawMessage = typeof body?.message === "string" ? body.message : null;
  const moreInfo = typeof body?.more_info === "string" ? body.more_info : null;
  return new TwilioApiError({
    operation,
    httpStatus,
    code,
    twilioMessage: rawMessage === null ? null : scrubErrorText(rawMessage, secrets),
    moreInfo,
  });
}

/** Removes secrets and masks phone-number-like digit runs, keeping the last 4 digits for correlation. */
export function scrubErrorText(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const secret of secrets) {
    // Very short values (e.g. a one-letter body) would mangle unrelated words; they reveal little anyway.
    if (secret.length >= 4) scrubbed = scrubbed.split(secret).join("[redacted]");
  }
  return scrubbed.replace(/\+?\d[\d ()-]{5,}\d/g, (run) => {
    const digits = run.replace(/\D/g, "");
    return digits.length >= 7 ? `***${digits.slice(-4)}` : run;
  });
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
