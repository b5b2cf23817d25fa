import { Logger } from "@aws-lambda-powertools/logger";
import type { Log } from "../log/log.ts";
import { narratingLog } from "../log/narrating-log.ts";

/** JSON logs; phone numbers are masked and bodies and secrets never passed in by the domain code. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "sms-channel" });

type Extra = Parameters<Log["error"]>[1];

/** Powertools formats an Error given on its own (name, message, stack); plain fields are merged into the entry. */
function emit(level: "debug" | "info" | "warn" | "error", message: string, extra: Extra[]): void {
  const [first] = extra;
  if (first instanceof Error) logger[level](message, first);
  else logger[level](message, ...(extra as Array<Record<string, unknown>>));
}

const jsonLog: Log = {
  debug: (message, ...extra) => emit("debug", message, extra),
  info: (message, ...extra) => emit("info", message, extra),
  warn: (message, ...extra) => emit("warn", message, extra),
  error: (message, ...extra) => emit("error", message, extra),
};

/**
 * The local gateway sets SMS_LOG_NARRATION=1 (infra/local/main.ts): what became of each message, reply and delivery
 * status is printed as one readable line instead of its JSON record. Lambda logs stay JSON.
 */
export const log: Log =
  process.env.SMS_LOG_NARRATION === "1" ? narratingLog(jsonLog, (line) => console.log(line)) : jsonLog;
