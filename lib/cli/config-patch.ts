import { ConfigError, type ConfigIssue } from "../config/config-error.ts";
import { type Env, resolveConfig } from "../config/resolve.ts";

export interface PatchPlan {
  /** The whole config file after the patch. */
  merged: Record<string, unknown>;
  /** Key paths whose value differs from the file before the patch. */
  changes: string[];
  /** Every problem of the merged config (empty when it is valid). */
  issues: ConfigIssue[];
}

/**
 * JSON merge patch (RFC 7396), as JSON5 documents: objects merge key by key, any other patch value (arrays too)
 * replaces, and null removes the key.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** Merges and validates with the same rules (and environment fallbacks) the gateway and the deploy use. */
export function planConfigPatch(base: unknown, patch: unknown, env: Env): PatchPlan {
  if (!isPlainObject(patch)) {
    return {
      merged: isPlainObject(base) ? base : {},
      changes: [],
      issues: [{ path: "(patch)", message: "expected an object such as { channels: { sms: { ... } } }" }],
    };
  }
  if (base !== undefined && !isPlainObject(base)) {
    return {
      merged: {},
      changes: [],
      issues: [{ path: "(file)", message: "expected the config file to hold an object" }],
    };
  }
  const merged = mergePatch(base ?? {}, patch) as Record<string, unknown>;
  let issues: ConfigIssue[] = [];
  try {
    resolveConfig(merged, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues = error.issues;
  }
  return { merged, changes: changedPaths(base ?? {}, merged), issues };
}

export function changedPaths(before: unknown, after: unknown, prefix = ""): string[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => changedPaths(before[key], after[key], prefix === "" ? key : `${prefix}.${key}`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [prefix || "(root)"];
}

/** The channels.sms section, for display. */
export function smsSectionOf(config: Record<string, unknown>): unknown {
  const channels = config.channels;
  return isPlainObject(channels) ? channels.sms : undefined;
}

/** Inline auth tokens are replaced before anything is printed; SecretRefs are shown (they hold no secret). */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      key === "authToken" && typeof item === "string" ? `<redacted, ${item.length} characters>` : redactSecrets(item),
    ]),
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
