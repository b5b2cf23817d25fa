import type { Log } from "./log.ts";
import { narrate } from "./narration.ts";

type Level = keyof Log;

/**
 * For the local gateway: a record that tells what became of a message, a reply or a delivery status is printed as
 * one readable line, whatever the log level; every other record goes on to `inner` (JSON, at its level).
 */
export function narratingLog(inner: Log, print: (line: string) => void): Log {
  const at =
    (level: Level) =>
    (message: string, ...extra: Parameters<Log["error"]>[1][]) => {
      const [first] = extra;
      const line = first === undefined || first instanceof Error ? undefined : narrate(first);
      if (line !== undefined) print(line);
      else (inner[level] as Log["error"])(message, ...extra);
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
