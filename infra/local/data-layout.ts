import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { demoAccountFile, demoDataDir, earlierDemoAccountFile } from "../../lib/config/local-config.ts";
import { LEGACY_SNAPSHOT_FILE, QUEUE_JOURNAL_FILE, REJECTED_FILE } from "./embedded-sqs.ts";
import { StartupError } from "./startup-error.ts";

export const DYNAMO_FOLDER = "dynamodb";
/** What an account setup keeps of its own: tables (approvals, pairing requests, conversations...) and queues. */
const STORE_ENTRIES = [DYNAMO_FOLDER, QUEUE_JOURNAL_FILE, REJECTED_FILE, LEGACY_SNAPSHOT_FILE];

export type LocalMode = "configured" | "demo";

/** Makes the data dir if missing; a path that is a file, or a folder this user cannot write, is one line. */
export function ensureDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ENOTDIR") {
      throw new StartupError(`SMS_DATA_DIR ${dataDir} is a file (or inside one); set it to a folder`);
    }
    if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
      throw new StartupError(`SMS_DATA_DIR ${dataDir} cannot be written by this user; set it to another folder`);
    }
    throw error;
  }
}

/**
 * The data dir itself holds what belongs to the gateway (its lock, the admin token smsctl reads) and the store of
 * a config file's accounts; the demo account's store is its own sub-folder, so neither sees the other's data.
 */
export function storeDir(dataDir: string, mode: LocalMode): string {
  return mode === "demo" ? demoDataDir(dataDir) : dataDir;
}

/**
 * Earlier versions kept the demo's store in the data dir itself, beside its credentials. Started as the demo, this
 * moves that store into the demo's folder, credentials last, so that an interrupted move resumes at the next start.
 * Started with a config, it refuses and touches nothing: the store's queued messages would go out under the config's
 * account (to real Twilio) and the demo's approvals would let strangers in. Returns the line to print, if any.
 */
export function moveEarlierDemoStore(dataDir: string, mode: LocalMode): string | undefined {
  const earlier = earlierDemoAccountFile(dataDir);
  if (!existsSync(earlier)) return undefined;
  const demoDir = demoDataDir(dataDir);
  if (mode === "configured") {
    throw new StartupError(
      `${dataDir} holds the demo account's data from an earlier version (approvals, pairing requests, queued ` +
        `messages), which a config must not inherit: start once without a config file (the demo's data moves to ` +
        `${demoDir}), or set SMS_DATA_DIR to another folder, or delete ${earlier} to keep that data for this config`,
    );
  }
  mkdirSync(demoDir, { recursive: true });
  for (const entry of STORE_ENTRIES) {
    const [from, to] = [join(dataDir, entry), join(demoDir, entry)];
    if (existsSync(from) && !existsSync(to)) renameSync(from, to);
  }
  if (existsSync(demoAccountFile(dataDir))) rmSync(earlier);
  else renameSync(earlier, demoAccountFile(dataDir));
  return `moved the demo account's data from ${dataDir} to ${demoDir} (everything kept there, a config's too if one ran on it)`;
}
