import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { demoAccountFile, demoDataDir, earlierDemoAccountFile } from "../../lib/config/local-config.ts";
import { LEGACY_SNAPSHOT_FILE, QUEUE_JOURNAL_FILE, REJECTED_FILE } from "./embedded-sqs.ts";

export const DYNAMO_FOLDER = "dynamodb";
/** What an account setup keeps of its own: tables (approvals, pairing requests, conversations...) and queues. */
const STORE_ENTRIES = [DYNAMO_FOLDER, QUEUE_JOURNAL_FILE, REJECTED_FILE, LEGACY_SNAPSHOT_FILE];

export type LocalMode = "configured" | "demo";

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
 * Started with a config, the store may already hold that config's own data too, so it stays, and one note says what
 * is in it. Returns the line to print, if any.
 */
export function moveEarlierDemoStore(dataDir: string, mode: LocalMode): string | undefined {
  const earlier = earlierDemoAccountFile(dataDir);
  if (!existsSync(earlier)) return undefined;
  const demoDir = demoDataDir(dataDir);
  mkdirSync(demoDir, { recursive: true });
  if (mode === "demo") {
    for (const entry of STORE_ENTRIES) {
      const [from, to] = [join(dataDir, entry), join(demoDir, entry)];
      if (existsSync(from) && !existsSync(to)) renameSync(from, to);
    }
  }
  if (existsSync(demoAccountFile(dataDir))) rmSync(earlier);
  else renameSync(earlier, demoAccountFile(dataDir));
  return mode === "demo"
    ? `moved the demo account's data from ${dataDir} to ${demoDir}, apart from a config file's`
    : `note: the demo account ran on ${dataDir} before its data moved to ${demoDir}; what it left here (approvals, ` +
        "pairing requests, conversations, queued messages) is still here: review it with npx smsctl allow list " +
        "and npx smsctl pairing list";
}
