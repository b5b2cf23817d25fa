/**
 * Twilio's webhook connection overrides: key=value pairs in the URL's fragment (`#rc=3&rp=5xx,ct`). Twilio reads
 * and strips the fragment before it calls the URL, and signs the URL without it.
 */

/** Failures Twilio retries: 4xx or 5xx answers, connect timeouts, read timeouts, or all of them. */
export type RetryPolicy = "4xx" | "5xx" | "ct" | "rt" | "all";

export interface ConnectionOverrides {
  /** Retry policy. */
  rp?: readonly RetryPolicy[];
  /** Connect timeout, ms (100-10000; Twilio's default 5000). */
  ct?: number;
  /** Read timeout, ms (100-15000; default 15000). */
  rt?: number;
  /** Total time for all attempts, ms (100-15000; default 15000). */
  tt?: number;
  /** Retry count (0-5; default 1). */
  rc?: number;
}

const LIMITS: Record<"ct" | "rt" | "tt" | "rc", readonly [number, number]> = {
  ct: [100, 10_000],
  rt: [100, 15_000],
  tt: [100, 15_000],
  rc: [0, 5],
};

/**
 * `url` with `overrides` in its fragment. Keys the URL's fragment already sets are kept as they are: an operator
 * who put overrides on publicWebhookUrl meant them.
 */
export function withConnectionOverrides(url: string, overrides: ConnectionOverrides): string {
  const hash = url.indexOf("#");
  const base = hash === -1 ? url : url.slice(0, hash);
  const existing =
    hash === -1
      ? []
      : url
          .slice(hash + 1)
          .split("&")
          .filter((pair) => pair !== "");
  const taken = new Set(existing.map((pair) => pair.split("=")[0]));
  const added = Object.entries(overrides)
    .filter(([key, value]) => value !== undefined && !taken.has(key))
    .map(([key, value]) => `${key}=${formatOverride(key, value)}`);
  const pairs = [...existing, ...added];
  return pairs.length === 0 ? base : `${base}#${pairs.join("&")}`;
}

function formatOverride(key: string, value: unknown): string {
  if (Array.isArray(value)) {
    if (value.length === 0) throw new RangeError(`${key}: expected at least one retry policy`);
    return value.join(",");
  }
  const [min, max] = LIMITS[key as keyof typeof LIMITS] ?? [0, 0];
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${key}: expected an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return String(value);
}
