import { createHash, randomUUID } from "node:crypto";
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { StartupError } from "./startup-error.ts";

export const LOCK_FILE = "gateway.lock";
/** A takeover that keeps losing races to other starts gives up instead of looping. */
const MAX_TRIES = 10;

export class DataDirInUseError extends StartupError {}

export interface DataDirLock {
  release(): void;
}

export interface LockOptions {
  isRunning?: (pid: number) => boolean;
  /** Who this gateway is; tests race two of them in one process. */
  pid?: number;
  /** Runs between checking a stale lock one last time and replacing it; tests start a rival there. */
  beforeReplace?: () => void;
}

interface Claimant extends Required<LockOptions> {
  dataDir: string;
  /** A file holding this start's lock text, linked or renamed into place. */
  claim: string;
}

/**
 * One gateway per data dir: two would each replay the queue journal and overwrite each other's. The lock is a file
 * naming the holder's pid. A lock whose pid is no longer running was left by a crash (kill -9) and is taken over.
 */
export function lockDataDir(dataDir: string, options: LockOptions = {}): DataDirLock {
  const { isRunning = processIsRunning, pid = process.pid, beforeReplace = () => {} } = options;
  const path = join(dataDir, LOCK_FILE);
  const claim = join(dataDir, `${LOCK_FILE}.${pid}`);
  // Unique to this start, so that a lock's text names one holder for good: a takeover compares texts.
  const text = `${JSON.stringify({ pid, since: new Date().toISOString(), start: randomUUID() })}\n`;
  writeFileSync(claim, text, { mode: 0o600 });
  try {
    take(path, { dataDir, claim, pid, isRunning, beforeReplace });
    return { release: () => releaseIfOurs(path, text) };
  } finally {
    rmSync(claim, { force: true });
  }
}

/**
 * Where the one start allowed to replace the lock text `held` at `path` says so. Two starts can both find the
 * same dead holder; whichever creates this file first is the only one that may replace it.
 */
export function takeoverMarker(path: string, held: string): string {
  const digest = createHash("sha256")
    .update(`${basename(path)}\n${held}`)
    .digest("hex")
    .slice(0, 16);
  return join(dirname(path), `${LOCK_FILE}.takeover-${digest}`);
}

/**
 * Puts the claim at `path`: created if there is none (a hard link: atomic, and fails if the file exists), or
 * replacing a stale lock after winning its takeover marker and checking it still holds the text read. A marker
 * left by a start that died mid-takeover is a stale lock in turn, taken over the same way.
 */
function take(path: string, self: Claimant): void {
  for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
    if (linked(self.claim, path)) return;
    const held = readText(path);
    if (held === undefined) continue; // released meanwhile
    const holder = pidIn(held);
    if (holder !== undefined && holder !== self.pid && self.isRunning(holder)) {
      throw new DataDirInUseError(
        `data dir ${self.dataDir} is in use by another sms-channel gateway (pid ${holder}); stop that one first, ` +
          "or start this one with SMS_DATA_DIR set to another folder",
      );
    }
    const marker = takeoverMarker(path, held);
    take(marker, self);
    try {
      if (readText(path) === held) {
        self.beforeReplace();
        replaceWith(self.claim, path);
        return;
      }
    } finally {
      rmSync(marker, { force: true });
    }
  }
  throw new DataDirInUseError(`data dir ${self.dataDir}: could not take over its stale ${path}; remove it`);
}

function linked(claim: string, path: string): boolean {
  try {
    linkSync(claim, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** rename replaces `path` atomically; it goes through a second name because the claim may be needed again. */
function replaceWith(claim: string, path: string): void {
  const swap = `${claim}.swap`;
  rmSync(swap, { force: true });
  linkSync(claim, swap);
  renameSync(swap, path);
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function pidIn(text: string): number | undefined {
  try {
    const pid = (JSON.parse(text) as { pid?: unknown } | null)?.pid;
    return typeof pid === "number" ? pid : undefined;
  } catch {
    return undefined;
  }
}

function releaseIfOurs(path: string, text: string): void {
  if (readText(path) === text) rmSync(path, { force: true });
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
