/** The slice of a structured logger the domain needs; Powertools' Logger satisfies it. */
export interface Log {
  debug(message: string, ...extra: Array<Record<string, unknown>>): void;
  info(message: string, ...extra: Array<Record<string, unknown>>): void;
  warn(message: string, ...extra: Array<Record<string, unknown>>): void;
  error(message: string, ...extra: Array<Record<string, unknown> | Error>): void;
}

export const silentLog: Log = { debug() {}, info() {}, warn() {}, error() {} };
