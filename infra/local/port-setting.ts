import { StartupError } from "./startup-error.ts";

/** A TCP port from the environment: 0 to 65535 (0 takes any free port); `fallback` when unset or blank. */
export function portSetting(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65_535) {
    throw new StartupError(`${name}: expected a port number from 0 to 65535, got "${raw}"`);
  }
  return Number(raw);
}
