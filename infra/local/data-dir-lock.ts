import { linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { StartupError } from "./startup-error.ts";

export const LOCK_FILE = "gateway.lock";

export class DataDirInUseError extends StartupError {}

export interface DataDirLock {
  release(): void;
}

/**
 * One gateway per data dir: two would each replay the queue journal and overwrite each other's. The lock is a file
 * naming the holder's pid, created whole by a hard link (atomic, and fails if the file exists). A lock whose pid is
 * no longer running was left by a crash (kill -9) and is taken over.
 */
export function lockDataDir(dataDir: string, isRunning: (pid: number) => boolean = processIsRunning): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  const claim = join(dataDir, `${LOCK_FILE}.${process.pid}`);
  writeFileSync(claim, `${JSON.stringify({ pid: process.pid, since: new Date().toISOString() })}\n`, { mode: 0o600 });
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        linkSync(claim, path);
        return { release: () => releaseIfOurs(path) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = lockHolder(path);
      if (holder !== undefined && holder !== process.pid && isRunning(holder)) {
        throw new DataDirInUseError(
          `data dir ${dataDir} is in use by another sms-channel gateway (pid ${holder}); stop that one first, ` +
            "or start this one with SMS_DATA_DIR set to another folder",
        );
      }
      if (attempt > 1)
        throw new DataDirInUseError(`data dir ${dataDir}: could not take over its stale ${path}; remove it`);
      rmSync(path, { force: true });
    }
  } finally {
    rmSync(claim, { force: true });
  }
}

function lockHolder(path: string): number | undefined {
  try {
    const pid = (JSON.parse(readFileSync(path, "utf8")) as { pid?: unknown }).pid;
    return typeof pid === "number" ? pid : undefined;
  } catch {
    return undefined;
  }
}

function releaseIfOurs(path: string): void {
  if (lockHolder(path) === process.pid) rmSync(path, { force: true });
}

function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
