import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  JournalDamagedError,
  journalLine,
  readJournal,
  replaceJournal,
} from "../../../infra/local/queue-journal-file.ts";
import { JOURNAL_FORMAT, JOURNAL_VERSION } from "../../../infra/local/queue-journal-records.ts";

const header = journalLine({ format: JOURNAL_FORMAT, version: JOURNAL_VERSION });
const send = (id: string) => journalLine({ op: "send", id, queue: "replies", body: `body ${id}`, groupId: "g" });
const journalIn = (content: string) => {
  const path = join(mkdtempSync(join(tmpdir(), "journal-")), "queue-journal.jsonl");
  writeFileSync(path, content);
  return path;
};

describe("reading the queue journal", () => {
  it("starts empty without a file", () => {
    expect(readJournal(join(tmpdir(), "no-such-dir", "queue-journal.jsonl"))).toEqual({ messages: [] });
  });

  it("ignores a last line the crash cut short: its write never completed, so it was never acknowledged", () => {
    const path = journalIn(header + send("a") + send("b").slice(0, 20));
    expect(readJournal(path).messages.map((message) => message.id)).toEqual(["a"]);
  });

  it("refuses a damaged complete line, naming the file and the line", () => {
    const path = journalIn(`${header + send("a")}{"op":"se\n${send("b")}`);
    expect(() => readJournal(path)).toThrow(JournalDamagedError);
    expect(() => readJournal(path)).toThrow(`queue journal ${path} is damaged at line 3`);
  });

  it("refuses a file that is not a journal of this version", () => {
    const path = journalIn(journalLine({ format: JOURNAL_FORMAT, version: 2 as 1 }) + send("a"));
    expect(() => readJournal(path)).toThrow("is not a version 1 sms-channel queue journal");
  });

  it("refuses, in one line the gateway prints as it is, a journal it cannot read at all", () => {
    const path = join(mkdtempSync(join(tmpdir(), "journal-")), "queue-journal.jsonl");
    mkdirSync(path);
    expect(() => readJournal(path)).toThrow(JournalDamagedError);
    expect(() => readJournal(path)).toThrow(`queue journal ${path} cannot be read (EISDIR`);
  });

  it.each(["null", "5", '"send"', '{"op":"send"}', '{"op":"teleport","id":"a"}'])(
    "refuses a complete line that is JSON but no record (%s), naming the line",
    (line) => {
      const path = journalIn(`${header + send("a") + line}\n`);
      expect(() => readJournal(path)).toThrow(JournalDamagedError);
      expect(() => readJournal(path)).toThrow(`queue journal ${path} is damaged at line 3`);
    },
  );

  it.each(["null", "[]"])("refuses a header that is JSON but no header (%s)", (line) => {
    const path = journalIn(`${line}\n${send("a")}`);
    expect(() => readJournal(path)).toThrow("is not a version 1 sms-channel queue journal");
  });
});

describe("replacing the queue journal", () => {
  it("puts the new content in place and leaves the file open for appends, with no temporary file behind", async () => {
    const path = journalIn(header + send("old"));
    const handle = await replaceJournal(path, header + send("new"));
    await handle.write(send("appended"));
    await handle.close();
    expect(readJournal(path).messages.map((message) => message.id)).toEqual(["new", "appended"]);
    expect(existsSync(`${path}.tmp`)).toBe(false);
  });

  it("keeps the old journal when the new one cannot be written", async () => {
    const path = journalIn(header + send("old"));
    // A folder where the temporary file should go: opening it for writing fails.
    mkdirSync(`${path}.tmp`);
    await expect(replaceJournal(path, header + send("new"))).rejects.toThrow();
    expect(readFileSync(path, "utf8")).toBe(header + send("old"));
  });
});
