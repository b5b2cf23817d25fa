import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DYNAMO_FOLDER, moveEarlierDemoStore, storeDir } from "../../../infra/local/data-layout.ts";
import { LEGACY_SNAPSHOT_FILE, QUEUE_JOURNAL_FILE } from "../../../infra/local/embedded-sqs.ts";
import { StartupError } from "../../../infra/local/startup-error.ts";
import { demoAccountFile, demoDataDir, earlierDemoAccountFile } from "../../../lib/config/local-config.ts";

const CREDENTIALS = `{ "accountSid": "AC${"1".repeat(32)}", "authToken": "demo-token" }`;

/** A data dir as earlier versions left it after the demo ran: its store beside its credentials and the admin token. */
function earlierDemoDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sms-layout-"));
  writeFileSync(earlierDemoAccountFile(dir), CREDENTIALS);
  mkdirSync(join(dir, DYNAMO_FOLDER));
  writeFileSync(join(dir, DYNAMO_FOLDER, "CURRENT"), "MANIFEST-000001\n");
  writeFileSync(join(dir, QUEUE_JOURNAL_FILE), "journal\n");
  writeFileSync(join(dir, LEGACY_SNAPSHOT_FILE), "{}");
  writeFileSync(join(dir, "admin-token"), "token\n");
  return dir;
}

describe("the demo account's store, apart from a config file's", () => {
  it("is the demo sub-folder for the demo and the data dir itself for a config", () => {
    expect(storeDir("/d", "demo")).toBe(demoDataDir("/d"));
    expect(demoDataDir("/d")).toBe(join("/d", "demo"));
    expect(storeDir("/d", "configured")).toBe("/d");
  });

  it("moves an earlier version's demo store into the demo folder when the demo starts, credentials and all", () => {
    const dir = earlierDemoDataDir();
    expect(moveEarlierDemoStore(dir, "demo")).toBe(
      `moved the demo account's data from ${dir} to ${demoDataDir(dir)} (everything kept there, a config's too if one ran on it)`,
    );
    expect(readdirSync(dir).sort()).toEqual(["admin-token", "demo"]);
    expect(readdirSync(demoDataDir(dir)).sort()).toEqual(
      [DYNAMO_FOLDER, "demo-account.json", LEGACY_SNAPSHOT_FILE, QUEUE_JOURNAL_FILE].sort(),
    );
    expect(readFileSync(demoAccountFile(dir), "utf8")).toBe(CREDENTIALS);
    expect(readFileSync(join(demoDataDir(dir), QUEUE_JOURNAL_FILE), "utf8")).toBe("journal\n");
    expect(moveEarlierDemoStore(dir, "demo")).toBeUndefined();
  });

  it("finishes a move a crash interrupted, keeping what already moved", () => {
    const dir = earlierDemoDataDir();
    mkdirSync(demoDataDir(dir));
    writeFileSync(join(demoDataDir(dir), QUEUE_JOURNAL_FILE), "moved already\n");
    moveEarlierDemoStore(dir, "demo");
    expect(readFileSync(join(demoDataDir(dir), QUEUE_JOURNAL_FILE), "utf8")).toBe("moved already\n");
    expect(existsSync(join(demoDataDir(dir), DYNAMO_FOLDER, "CURRENT"))).toBe(true);
    expect(existsSync(earlierDemoAccountFile(dir))).toBe(false);
  });

  it("refuses a config started on it, touching nothing: the demo's queue would go out under the config's account", () => {
    const dir = earlierDemoDataDir();
    const before = readdirSync(dir).sort();
    expect(() => moveEarlierDemoStore(dir, "configured")).toThrow(StartupError);
    expect(() => moveEarlierDemoStore(dir, "configured")).toThrow(
      `start once without a config file (the demo's data moves to ${demoDataDir(dir)}), or set SMS_DATA_DIR`,
    );
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(existsSync(join(dir, QUEUE_JOURNAL_FILE))).toBe(true);
  });
});
