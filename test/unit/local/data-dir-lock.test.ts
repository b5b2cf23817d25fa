import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataDirInUseError, LOCK_FILE, lockDataDir, takeoverMarker } from "../../../infra/local/data-dir-lock.ts";

const freshDir = () => mkdtempSync(join(tmpdir(), "sms-lock-"));
const heldBy = (dir: string, pid: number) => writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid }));
const holderOf = (dir: string) => JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).pid;

describe("one gateway per data dir", () => {
  it("takes a free data dir, naming this process, and gives it back on release", () => {
    const dir = freshDir();
    const lock = lockDataDir(dir);
    expect(holderOf(dir)).toBe(process.pid);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it("refuses a data dir another running gateway holds, in one line naming the dir, the pid and the way out", () => {
    const dir = freshDir();
    heldBy(dir, 4242);
    const attempt = () => lockDataDir(dir, { isRunning: (pid) => pid === 4242 });
    expect(attempt).toThrow(DataDirInUseError);
    expect(attempt).toThrow(
      `data dir ${dir} is in use by another sms-channel gateway (pid 4242); stop that one first, ` +
        "or start this one with SMS_DATA_DIR set to another folder",
    );
    expect(holderOf(dir)).toBe(4242);
  });

  it("takes over a lock left by a gateway that died (kill -9)", () => {
    const dir = freshDir();
    heldBy(dir, 4242);
    const lock = lockDataDir(dir, { isRunning: () => false });
    expect(holderOf(dir)).toBe(process.pid);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    lock.release();
  });

  it("does not remove a lock another gateway took after this one's", () => {
    const dir = freshDir();
    const lock = lockDataDir(dir);
    heldBy(dir, 4242);
    lock.release();
    expect(holderOf(dir)).toBe(4242);
  });
});

/** Two gateways (pids 1001 and 1002, both running) starting at once on a data dir whose lock names dead pid 4242. */
describe("two gateways racing for a stale lock", () => {
  const running = (pid: number) => pid === 1001 || pid === 1002;
  type Outcome = "holds" | "refused";

  function attempt(dir: string, pid: number, pause = () => {}): Outcome {
    try {
      const isRunning = (other: number) => {
        pause();
        return running(other);
      };
      lockDataDir(dir, { pid, isRunning, beforeReplace: pause });
      return "holds";
    } catch (error) {
      if (error instanceof DataDirInUseError) return "refused";
      throw error;
    }
  }

  /**
   * Gateway 1002 starts; at its `pauseAt`-th pause point (it has read a lock and is about to check its holder, or
   * is about to replace it) gateway 1001 starts and finishes. A point 1002 never reaches means 1001 starts after it.
   */
  function race(dir: string, pauseAt: number): Record<number, Outcome> {
    let points = 0;
    let first: Outcome | undefined;
    const paused = attempt(dir, 1002, () => {
      points += 1;
      if (points === pauseAt) first = attempt(dir, 1001);
    });
    return { 1001: first ?? attempt(dir, 1001), 1002: paused };
  }

  function expectOneHolder(dir: string, outcomes: Record<number, Outcome>): void {
    const holders = Object.keys(outcomes).filter((pid) => outcomes[Number(pid)] === "holds");
    expect(holders).toHaveLength(1);
    expect(holderOf(dir)).toBe(Number(holders[0]));
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
  }

  it.each([1, 2, 3, 4])("lets exactly one hold it when the other starts at pause point %i", (pauseAt) => {
    const dir = freshDir();
    heldBy(dir, 4242);
    expectOneHolder(dir, race(dir, pauseAt));
  });

  it.each([1, 2, 3, 4, 5, 6])(
    "lets exactly one hold it when a start that died mid-takeover left its marker, the other starting at point %i",
    (pauseAt) => {
      const dir = freshDir();
      heldBy(dir, 4242);
      writeFileSync(takeoverMarker(join(dir, LOCK_FILE), JSON.stringify({ pid: 4242 })), JSON.stringify({ pid: 4343 }));
      expectOneHolder(dir, race(dir, pauseAt));
    },
  );
});
