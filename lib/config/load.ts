import { existsSync, readFileSync, statSync } from "node:fs";
import JSON5 from "json5";
import { ConfigError } from "./config-error.ts";
import { type Env, envValue } from "./env-fallbacks.ts";
import { resolveConfig } from "./resolve.ts";
import type { ResolvedConfig } from "./types.ts";

export const DEFAULT_CONFIG_PATH = "./sms.config.json5";

/** SMS_CONFIG, else ./sms.config.json5 (which may be absent: then the env, the demo or the example stand in). */
export function configPathFrom(env: Env): string {
  return envValue(env, "SMS_CONFIG") ?? DEFAULT_CONFIG_PATH;
}

/** The one line said when SMS_CONFIG names a file that is not there. */
export function missingConfigFileMessage(path: string, what = "there is no such file"): string {
  return `SMS_CONFIG is set to ${path}, but ${what} (fix the path, or unset SMS_CONFIG to use ${DEFAULT_CONFIG_PATH})`;
}

/** SMS_CONFIG names a file that does not exist: a typo there, not a fresh checkout. */
export class MissingConfigFileError extends ConfigError {
  constructor(path: string, what?: string) {
    super([{ path: "SMS_CONFIG", message: missingConfigFileMessage(path, what) }], "environment");
    this.name = "MissingConfigFileError";
    this.message = missingConfigFileMessage(path, what);
  }
}

/**
 * A path set explicitly must exist: falling back to the demo account, the example's placeholders or env-only config
 * would run (or deploy) something other than what the user pointed at.
 */
export function requireConfigFile(env: Env): void {
  const path = envValue(env, "SMS_CONFIG");
  if (path === undefined) return;
  if (!existsSync(path)) throw new MissingConfigFileError(path);
  if (!statSync(path).isFile()) throw new MissingConfigFileError(path, "that is not a file");
}

/** Parses JSON5 text; a syntax error is reported with its line and column, as a ConfigError. */
export function parseConfigText(text: string, source: string): unknown {
  try {
    return JSON5.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^JSON5: /, "") : String(error);
    throw new ConfigError([{ path: "(file)", message: `not valid JSON5: ${detail}` }], source);
  }
}

/** Reads `SMS_CONFIG` (default ./sms.config.json5); a missing file means env-only configuration. */
export function loadConfig(env: Env, path = configPathFrom(env)): ResolvedConfig {
  let text: string | undefined;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") {
      // A directory or an unreadable file: one line naming it, not a stack trace.
      throw new ConfigError([{ path: "(file)", message: `cannot read ${path} (${code ?? "error"})` }], path);
    }
  }
  const file = text === undefined ? {} : parseConfigText(text, path);
  try {
    return resolveConfig(file, env);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(error.issues, text === undefined ? "environment" : path);
    throw error;
  }
}
