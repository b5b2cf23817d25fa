import { ConfigError } from "../../../lib/config/config-error.ts";
import { resolveConfig } from "../../../lib/config/resolve.ts";

export const SID = `AC${"a".repeat(32)}`;
export const MG = `MG${"b".repeat(32)}`;

export function sms(section: Record<string, unknown>): { channels: { sms: Record<string, unknown> } } {
  return { channels: { sms: section } };
}

/** Every issue of a config that must fail, as `path: message` lines. */
export function issuesOf(file: unknown, env: Record<string, string> = {}): string[] {
  try {
    resolveConfig(file, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error("expected a ConfigError");
}
