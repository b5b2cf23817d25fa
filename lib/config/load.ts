import { readFileSync } from "node:fs";
import JSON5 from "json5";
import { ConfigError } from "./config-error.ts";
import { type Env, resolveConfig } from "./resolve.ts";
import type { ResolvedConfig } from "./types.ts";

export const DEFAULT_CONFIG_PATH = "./sms.config.json5";

export function configPathFrom(env: Env): string {
  return env.SMS_CONFIG || DEFAULT_CONFIG_PATH;
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
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const file = text === undefined ? {} : parseConfigText(text, path);
  try {
    return resolveConfig(file, env);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(error.issues, text === undefined ? "environment" : path);
    throw error;
  }
}
