import { existsSync, readFileSync } from "node:fs";
import { type FileHandle, open, rename } from "node:fs/promises";
import { dirname } from "node:path";
import {
  isJournalRecord,
  JOURNAL_FORMAT,
  JOURNAL_VERSION,
  type JournaledMessage,
  type JournalHeader,
  type JournalRecord,
  replay,
} from "./queue-journal-records.ts";
import { StartupError } from "./startup-error.ts";

export class JournalDamagedError extends StartupError {}

/**
 * What a journal file says is still queued. Every line a write completed ends in a newline; a last line without one
 * is a write the crash cut short, never acknowledged, and is ignored.
 */
export function readJournal(path: string): { header?: JournalHeader; messages: JournaledMessage[] } {
  if (!existsSync(path)) return { messages: [] };
  const lines = readText(path).split("\n");
  lines.pop(); // "" after the last newline, or the torn tail
  if (lines.length === 0) return { messages: [] };
  const damaged = (index: number) =>
    new JournalDamagedError(
      `queue journal ${path} is damaged at line ${index + 1}; move it aside to start with empty queues`,
    );
  const parse = (line: string, index: number): unknown => {
    try {
      return JSON.parse(line);
    } catch {
      throw damaged(index);
    }
  };
  const header = parse(lines[0] as string, 0) as Partial<JournalHeader> | null;
  if (header?.format !== JOURNAL_FORMAT || header.version !== JOURNAL_VERSION) {
    throw new JournalDamagedError(
      `${path} is not a version ${JOURNAL_VERSION} sms-channel queue journal; move it aside to start with empty queues`,
    );
  }
  const records = lines.slice(1).map((line, index): JournalRecord => {
    const record = parse(line, index + 1);
    if (!isJournalRecord(record)) throw damaged(index + 1);
    return record;
  });
  return { header: header as JournalHeader, messages: [...replay([], records).values()] };
}

/** The whole file, or a one-line startup error saying why it cannot be read (a folder, no permission...). */
function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new JournalDamagedError(
      `queue journal ${path} cannot be read (${(error as Error).message}); ` +
        "fix it or move it aside to start with empty queues",
    );
  }
}

export function journalLine(value: JournalHeader | JournalRecord): string {
  return `${JSON.stringify(value)}\n`;
}

/**
 * Replaces the journal at `path` with `content` so that a crash at any point leaves either the old file or the new
 * one: write a temporary file, fsync it, rename it over the journal, fsync the folder (which makes the rename
 * durable). Returns the new file, open at its end for appends.
 */
export async function replaceJournal(path: string, content: string): Promise<FileHandle> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, "w", 0o600);
  try {
    await handle.write(content);
    await handle.datasync();
    await rename(temporary, path);
    await syncFolder(dirname(path));
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Appends `content` to the file at `path` (created if need be) and makes it durable, folder entry included: what
 * it holds may be about to leave the journal.
 */
export async function appendDurably(path: string, content: string): Promise<void> {
  const handle = await open(path, "a", 0o600);
  try {
    await handle.write(content);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await syncFolder(dirname(path));
}

async function syncFolder(folder: string): Promise<void> {
  // Windows cannot open a folder as a file; NTFS journals the rename itself.
  if (process.platform === "win32") return;
  const handle = await open(folder, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
