import { quoted } from "./quoted.ts";

/**
 * A caller mistake or a refused operation, answered as `{ error: { code, message, field? } }` with `status`.
 * Anything else that escapes a use-case is an internal error (500, details only in the log).
 */
export class AdminError extends Error {
  override name = "AdminError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The request field at fault, for machines; the message names it too. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** 400 naming the field: `phone: expected an E.164 number ...`. */
export function invalidField(field: string, problem: string): AdminError {
  return new AdminError(400, "invalid_request", `${fieldLabel(field)}: ${problem}`, field);
}

/** A field name as written in a message; an odd one (a caller's unknown key) is quoted like any caller value. */
function fieldLabel(field: string): string {
  return /^[\w$.[\]-]{1,80}$/.test(field) ? field : quoted(field);
}

export interface AdminErrorBody {
  error: { code: string; message: string; field?: string };
}

export function errorBody(error: AdminError): AdminErrorBody {
  return {
    error: { code: error.code, message: error.message, ...(error.field === undefined ? {} : { field: error.field }) },
  };
}
