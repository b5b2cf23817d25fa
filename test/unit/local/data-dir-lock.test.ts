import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataDirInUseError, LOCK_FILE, lockDataDir } from "../../../infra/local/data-dir-lock.ts";

const freshDir = () => mkdtempSync(join(tmpdir(), "sms-lock-"));
const heldBy = (dir: string, pid: number) => writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid }));

describe("one gateway per data dir", () => {
  it("takes a free data dir, naming this process, and gives it back on release", () => {
    const dir = freshDir();
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).pid).toBe(process.pid);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it("refuses a data dir another running gateway holds, in one line naming the dir, the pid and the way out", () => {
    const dir = freshDir();
    heldBy(dir, 4242);
    const attempt = () => lockDataDir(dir, (pid) => pid === 4242);
    expect(attempt).toThrow(DataDirInUseError);
    expect(attempt).toThrow(
      `data dir ${dir} is in use by another sms-channel gateway (pid 4242); stop that one first, ` +
        "or start this one with SMS_DATA_DIR set to another folder",
    );
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).pid).toBe(4242);
  });

  it("takes over a lock left by a gateway that died (kill -9)", () => {
    const dir = freshDir();
    heldBy(dir, 4242);
    const lock = lockDataDir(dir, () => false);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).pid).toBe(process.pid);
    lock.release();
  });

  it("does not remove a lock another gateway took after this one's", () => {
    const dir = freshDir();
    const lock = lockDataDir(dir);
    heldBy(dir, 4242);
    lock.release();
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).pid).toBe(4242);
  });
});
