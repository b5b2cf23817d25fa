import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { QueueJournal } from "../../../infra/local/queue-journal.ts";
import { journalLine, readJournal } from "../../../infra/local/queue-journal-file.ts";
import { JOURNAL_FORMAT, JOURNAL_VERSION, type JournaledMessage } from "../../../infra/local/queue-journal-records.ts";

const message = (id: string): JournaledMessage => ({ id, queue: "turns", body: `body ${id}`, groupId: "g" });
const newPath = () => join(mkdtempSync(join(tmpdir(), "journal-")), "queue-journal.jsonl");
const onDisk = (path: string) => readJournal(path).messages.map((queued) => queued.id);
const lines = (path: string) => readFileSync(path, "utf8").split("\n").length - 1;

async function fileHandlePrototype(): Promise<{ write: () => Promise<unknown>; datasync: () => Promise<void> }> {
  const handle = await open(newPath(), "w");
  await handle.close();
  return Object.getPrototypeOf(handle);
}

async function committed(): Promise<{ journal: QueueJournal; path: string }> {
  const path = newPath();
  const journal = new QueueJournal(path);
  await journal.commit();
  return { journal, path };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the queue journal", () => {
  it("writes nothing before its first commit, which then replaces the previous journal whole", async () => {
    const path = newPath();
    writeFileSync(
      path,
      journalLine({ format: JOURNAL_FORMAT, version: JOURNAL_VERSION }) +
        journalLine({ op: "send", ...message("old") }),
    );
    const journal = new QueueJournal(path);
    journal.recordSend(message("restored"));
    await journal.durable();
    expect(onDisk(path)).toEqual(["old"]);
    await journal.commit({ legacyImported: "abc" });
    expect(onDisk(path)).toEqual(["restored"]);
    expect(readJournal(path).header?.legacyImported).toBe("abc");
    await journal.close();
  });

  it("resolves durable() only once the record is in the file", async () => {
    const { journal, path } = await committed();
    journal.recordSend(message("a"));
    const durable = journal.durable();
    expect(onDisk(path)).toEqual([]);
    await durable;
    expect(onDisk(path)).toEqual(["a"]);
    await journal.close();
  });

  it("lets sends that wait together share an fsync (group commit)", async () => {
    const { journal, path } = await committed();
    const datasync = vi.spyOn(await fileHandlePrototype(), "datasync");
    await Promise.all(
      Array.from({ length: 20 }, (_, index) => {
        journal.recordSend(message(`m${index}`));
        return journal.durable();
      }),
    );
    expect(onDisk(path)).toHaveLength(20);
    expect(datasync.mock.calls.length).toBeLessThanOrEqual(2);
    await journal.close();
  });

  it("records deletes and dead-letter moves, and ignores a send whose id it already has (a dedupe hit)", async () => {
    const { journal, path } = await committed();
    journal.recordSend(message("a"));
    journal.recordSend(message("b"));
    journal.recordSend(message("c"));
    journal.recordDelete("b");
    journal.recordMove("c", "turnsDlq");
    journal.recordSend(message("b"));
    await journal.durable();
    expect(readJournal(path).messages).toEqual([message("a"), { ...message("c"), queue: "turnsDlq" }]);
    expect(journal.idsIn("turns")).toEqual(["a"]);
    await journal.close();
  });

  it("rewrites itself once deleted messages pile up, keeping what is live", async () => {
    const { journal, path } = await committed();
    journal.recordSend(message("kept"));
    for (let index = 0; index < 1_500; index++) {
      journal.recordSend(message(`done-${index}`));
      journal.recordDelete(`done-${index}`);
    }
    journal.recordSend(message("last"));
    await journal.durable();
    await journal.close();
    expect(onDisk(path)).toEqual(["kept", "last"]);
    expect(lines(path)).toBeLessThan(1_100);
  });

  it("checkpoints the exact state it reads, with records made while it was reading replayed on top", async () => {
    const { journal, path } = await committed();
    journal.recordSend(message("gone-from-the-queues"));
    await journal.durable();
    // Idle, as at a clean stop: the checkpoint starts the writer, and its read runs before any await.
    await new Promise((resolve) => setImmediate(resolve));
    await journal.checkpoint(() => {
      journal.recordSend(message("sent-while-reading"));
      return [message("exact")];
    });
    await journal.durable();
    expect(onDisk(path)).toEqual(["exact", "sent-while-reading"]);
    await journal.close();
  });

  it("rejects the waiters of a failed write, then rewrites the file whole before acknowledging more", async () => {
    const { journal, path } = await committed();
    journal.recordSend(message("a"));
    await journal.durable();
    vi.spyOn(await fileHandlePrototype(), "write").mockRejectedValueOnce(new Error("ENOSPC: no space left on device"));
    journal.recordSend(message("b"));
    await expect(journal.durable()).rejects.toThrow("ENOSPC");
    journal.recordSend(message("c"));
    await journal.durable();
    expect(onDisk(path)).toEqual(["a", "b", "c"]);
    await journal.close();
  });

  it("settles a send recorded while a write was failing at once, without waiting for more traffic", async () => {
    const { journal, path } = await committed();
    let failWrite: (error: Error) => void = () => {};
    const write = vi
      .spyOn(await fileHandlePrototype(), "write")
      .mockImplementationOnce(() => new Promise((_, reject) => (failWrite = reject)));
    journal.recordSend(message("b"));
    const first = journal.durable();
    while (write.mock.calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
    // Recorded while that write is under way: it waits for the next one.
    journal.recordSend(message("c"));
    let second = "pending";
    journal.durable().then(
      () => (second = "resolved"),
      () => (second = "rejected"),
    );
    failWrite(new Error("ENOSPC: no space left on device"));
    await expect(first).rejects.toThrow("ENOSPC");
    // Nothing else happens on an idle gateway; by the next turn of the event loop the sender must have its answer.
    await new Promise((resolve) => setImmediate(resolve));
    expect(second).not.toBe("pending");
    // Its retry (the same record, a dedupe hit) is written with everything else.
    await journal.durable();
    expect(onDisk(path)).toEqual(["b", "c"]);
    await journal.close();
  });
});
