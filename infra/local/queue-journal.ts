import type { FileHandle } from "node:fs/promises";
import { journalLine, replaceJournal } from "./queue-journal-file.ts";
import {
  JOURNAL_FORMAT,
  JOURNAL_VERSION,
  type JournaledMessage,
  type JournalHeader,
  type JournalRecord,
  type QueueRole,
  replay,
} from "./queue-journal-records.ts";

/** fauxqs remembers 10,000 dedupe ids per queue, so an older id can never come back as a dedupe hit. */
const RECENT_SENDS_KEPT = 50_000;
/** The file is rewritten once it holds this many lines more than twice the live messages. */
const SLACK_LINES = 1_000;

type StateSource = () => Iterable<JournaledMessage> | Promise<Iterable<JournaledMessage>>;

interface Waiter {
  upTo: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Rewrite {
  source: StateSource;
  header: Pick<JournalHeader, "legacyImported">;
  done: Waiter;
}

/**
 * The write-ahead journal of the embedded queues: an append-only file of sends, deletes and dead-letter moves, with
 * the live messages mirrored in memory. Records are written by one loop, so all records waiting while an fsync
 * runs share the next one (group commit). Until the first `commit` nothing is written: at start the previous
 * journal still holds the messages being restored, and the new file replaces it only once they are all in it.
 */
export class QueueJournal {
  private live = new Map<string, JournaledMessage>();
  private readonly recentSends = new Set<string>();
  private pending: JournalRecord[] = [];
  private appended = 0;
  private durableUpTo = 0;
  private waiters: Waiter[] = [];
  private rewrites: Rewrite[] = [];
  private handle: FileHandle | undefined;
  private linesInFile = 0;
  /** Set when the file must be rewritten from memory: it has grown, or an append failed and its tail may be torn. */
  private rewriteDue = false;
  /** After a failure, wait for new work instead of retrying in a loop against a full disk. */
  private blocked = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly path: string) {}

  get liveCount(): number {
    return this.live.size;
  }

  idsIn(queue: QueueRole): string[] {
    return [...this.live.values()].filter((message) => message.queue === queue).map((message) => message.id);
  }

  /** A message fauxqs accepted. A FIFO dedupe hit answers with an id already recorded, and adds nothing. */
  recordSend(message: JournaledMessage): void {
    if (this.live.has(message.id) || this.recentSends.has(message.id)) return;
    this.recentSends.add(message.id);
    if (this.recentSends.size > RECENT_SENDS_KEPT)
      this.recentSends.delete(this.recentSends.values().next().value as string);
    this.live.set(message.id, message);
    this.push({ op: "send", ...message });
  }

  recordDelete(id: string): void {
    if (this.live.delete(id)) this.push({ op: "delete", id });
  }

  recordMove(id: string, queue: QueueRole): void {
    const message = this.live.get(id);
    if (!message || message.queue === queue) return;
    this.live.set(id, { ...message, queue });
    this.push({ op: "move", id, queue });
  }

  /** Resolves once every record so far is fsynced; rejects if writing them failed. */
  durable(): Promise<void> {
    const upTo = this.appended;
    if (!this.handle || this.durableUpTo >= upTo) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ upTo, resolve, reject });
      this.wake();
    });
  }

  /** Makes what was recorded so far the journal, replacing the previous file atomically. */
  commit(header: Pick<JournalHeader, "legacyImported"> = {}): Promise<void> {
    return this.rewrite(() => this.live.values(), header);
  }

  /**
   * Rewrites the journal from the queues' exact state (`read` runs while nothing else is written; records made
   * while it reads are replayed on top, which is harmless for those it already saw).
   */
  checkpoint(read: StateSource): Promise<void> {
    return this.rewrite(read, {});
  }

  async close(): Promise<void> {
    await this.durable();
    while (this.loop) await this.loop;
    await this.handle?.close();
    this.handle = undefined;
  }

  private rewrite(source: StateSource, header: Rewrite["header"]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.rewrites.push({ source, header, done: { upTo: 0, resolve, reject } });
      this.wake();
    });
  }

  private push(record: JournalRecord): void {
    this.pending.push(record);
    this.appended += 1;
    this.wake();
  }

  private wake(): void {
    this.blocked = false;
    if (this.loop) return;
    // Started on the next microtask so that `loop` is set before any of it runs: a record made from inside it
    // (a checkpoint's read) must not start a second loop writing to the file being replaced.
    this.loop = Promise.resolve()
      .then(() => this.run())
      .finally(() => {
        this.loop = undefined;
        if (this.hasWork()) this.wake();
      });
  }

  private hasWork(): boolean {
    if (this.rewrites.length > 0) return true;
    return this.handle !== undefined && !this.blocked && (this.rewriteDue || this.pending.length > 0);
  }

  private async run(): Promise<void> {
    while (this.hasWork()) {
      const requested = this.rewrites.shift();
      if (requested) await this.runRewrite(requested);
      else if (this.rewriteDue) await this.runRewrite({ source: () => this.live.values(), header: {}, done: noWaiter });
      else await this.writePending();
    }
  }

  private async writePending(): Promise<void> {
    const handle = this.handle as FileHandle;
    const records = this.pending;
    const upTo = this.appended;
    this.pending = [];
    try {
      await handle.write(records.map(journalLine).join(""));
      await handle.datasync();
    } catch (error) {
      // Memory still holds these records; a full rewrite is the only safe retry after a possibly torn append.
      this.rewriteDue = true;
      this.settle(upTo, error);
      return;
    }
    this.linesInFile += records.length;
    if (this.linesInFile > SLACK_LINES + 2 * this.live.size) this.rewriteDue = true;
    this.settle(upTo);
  }

  private async runRewrite({ source, header, done }: Rewrite): Promise<void> {
    let base: Iterable<JournaledMessage>;
    try {
      base = await source();
    } catch (error) {
      done.reject(error);
      return;
    }
    // The cut: from here on, records go to the new file after this content.
    const upTo = this.appended;
    this.live = replay(base, this.pending);
    this.pending = [];
    const messages = [...this.live.values()];
    const content =
      journalLine({ format: JOURNAL_FORMAT, version: JOURNAL_VERSION, ...header }) +
      messages.map((message) => journalLine({ op: "send", ...message })).join("");
    let handle: FileHandle;
    try {
      handle = await replaceJournal(this.path, content);
    } catch (error) {
      this.rewriteDue = true;
      this.settle(upTo, error);
      done.reject(error);
      return;
    }
    await this.handle?.close().catch(() => {});
    this.handle = handle;
    this.linesInFile = messages.length + 1;
    this.rewriteDue = false;
    this.settle(upTo);
    done.resolve();
  }

  /**
   * Resolves the waiters covered by records up to `upTo`; on `error`, rejects every waiter, those of records made
   * during the failed write too: the writer now waits for new work, so a waiter left behind would hang its sender
   * until other traffic came. Their records stay in memory and go out with the next write (a retry brings it).
   */
  private settle(upTo: number, error?: unknown): void {
    if (error === undefined) this.durableUpTo = Math.max(this.durableUpTo, upTo);
    else this.blocked = true;
    const waits = (waiter: Waiter) => error === undefined && waiter.upTo > upTo;
    const covered = this.waiters.filter((waiter) => !waits(waiter));
    this.waiters = this.waiters.filter(waits);
    for (const waiter of covered) {
      if (error === undefined) waiter.resolve();
      else waiter.reject(error);
    }
  }
}

const noWaiter: Waiter = { upTo: 0, resolve: () => {}, reject: () => {} };
