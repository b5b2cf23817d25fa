import { rmSync } from "node:fs";
import { join } from "node:path";
import { buildApp } from "fauxqs";
import { createChannelQueues, type QueueUrls, queueNames, REDRIVE, type VisibilityTimeouts } from "./channel-queues.ts";
import { type FauxqsApp, inspectQueue, type SqsCall, sqsCaller } from "./fauxqs-access.ts";
import { listenRefusal } from "./listen-refusal.ts";
import { publishQueueUrls } from "./public-queue-urls.ts";
import { refuseQueryProtocol } from "./query-protocol-refusal.ts";
import { QueueJournal } from "./queue-journal.ts";
import { appendDurably, readJournal } from "./queue-journal-file.ts";
import type { JournaledMessage, QueuedMessage, QueueRole } from "./queue-journal-records.ts";
import { requeue, type SetAside } from "./queue-restore.ts";
import { inspectedMessages, readLegacySnapshot } from "./queue-snapshot.ts";
import { RedriveWatch } from "./redrive-watch.ts";
import { refuseUnjournalableSqsRequests } from "./sqs-json-refusal.ts";
import { journalSqsTraffic } from "./sqs-traffic-journal.ts";

export type { QueueUrls } from "./channel-queues.ts";
export const LOCAL_REGION = "us-east-1";
export const QUEUE_JOURNAL_FILE = "queue-journal.jsonl";
/** Beside the journal: messages it held that could not be queued again, one JSON line each, with the reason. */
export const REJECTED_FILE = "queue-journal.rejected.jsonl";
/** What a clean stop saved before the journal existed; read once, then removed. */
export const LEGACY_SNAPSHOT_FILE = "queued-messages.json";

export interface EmbeddedSqsOptions {
  queuePrefix: string;
  visibilityTimeoutSeconds: VisibilityTimeouts;
  /** Folder for the queue journal; without it the queues live in memory only. */
  journalDir?: string;
  /** TCP port on 127.0.0.1; 0 (the default) takes any free one. */
  port?: number;
}

export interface EmbeddedSqs {
  endpoint: string;
  queueUrls: QueueUrls;
  /** Messages put back from the journal (or a pre-journal snapshot) at start; those set aside are not counted. */
  restored: number;
  /** Closes; with a journal, first writes the queues' exact state to it (dead-letter placement included).
   * Resolves with how many messages the journal keeps. */
  stop(): Promise<number>;
}

/**
 * fauxqs (SQS JSON protocol) on 127.0.0.1 with the channel's four FIFO queues. With a journal folder, every message
 * it accepts is in the journal before the sender hears so, and the queues start with what the journal still holds.
 */
export async function startEmbeddedSqs(options: EmbeddedSqsOptions): Promise<EmbeddedSqs> {
  const app = buildApp({ logger: false, host: "127.0.0.1", defaultRegion: LOCAL_REGION });
  let endpoint = "";
  // First, so that every other hook and fauxqs itself see fauxqs' own queue URLs.
  const publicUrls = publishQueueUrls(app, () => endpoint);
  refuseQueryProtocol(app);
  refuseUnjournalableSqsRequests(app);
  const names = queueNames(options.queuePrefix);
  const roles = new Map<unknown, QueueRole>();
  const heldIn = async (role: QueueRole) => inspectedMessages(role, await inspectQueue(app, names[role]));
  // Hooks go in before listening; they learn the queue URLs once the queues exist.
  const journal = options.journalDir
    ? openJournal(app, options.journalDir, (url) => roles.get(url), heldIn)
    : undefined;

  endpoint = await listen(app, options.port ?? 0);
  const call = sqsCaller(app, new URL(endpoint).host);
  const queueUrls = await createChannelQueues(call, names, options.visibilityTimeoutSeconds);
  for (const [role, url] of Object.entries(queueUrls)) roles.set(publicUrls.internalOf(url), role as QueueRole);
  const restored = journal ? await restore(journal, call, queueUrls) : 0;

  return {
    endpoint,
    queueUrls,
    restored,
    async stop() {
      try {
        await journal?.journal.checkpoint(() => exactState(heldIn));
      } finally {
        await app.close();
        await journal?.journal.close();
      }
      return journal?.journal.liveCount ?? 0;
    },
  };
}

/** A busy port is one line naming the setting to change; nothing has been written yet. */
async function listen(app: FauxqsApp, port: number): Promise<string> {
  const host = "127.0.0.1";
  try {
    return await app.listen({ port, host });
  } catch (error) {
    throw listenRefusal(error, { host, port, role: " (the embedded SQS endpoint)", portSetting: "SQS_PORT" }) ?? error;
  }
}

interface OpenJournal {
  journal: QueueJournal;
  dir: string;
  previous: ReturnType<typeof readJournal>;
}

function openJournal(
  app: FauxqsApp,
  dir: string,
  roleOf: (url: unknown) => QueueRole | undefined,
  heldIn: (role: QueueRole) => Promise<JournaledMessage[]>,
): OpenJournal {
  const path = join(dir, QUEUE_JOURNAL_FILE);
  // Read before anything runs: a damaged journal stops the start with the file untouched.
  const previous = readJournal(path);
  const journal = new QueueJournal(path);
  journalSqsTraffic(app, {
    journal,
    roleOf,
    redrive: new RedriveWatch(REDRIVE),
    heldIn: async (role) => new Set((await heldIn(role)).map((message) => message.id)),
  });
  return { journal, dir, previous };
}

/**
 * Sends every message the previous journal (or a pre-journal snapshot) still holds back into the fresh queues
 * (queue-restore.ts); then the new journal (new message ids) replaces the old one. A crash before that replacement
 * loses nothing: the old journal is still there. Messages that could not be queued again are first kept in
 * REJECTED_FILE, each reported in one line.
 */
async function restore({ journal, dir, previous }: OpenJournal, call: SqsCall, urls: QueueUrls): Promise<number> {
  const legacyPath = join(dir, LEGACY_SNAPSHOT_FILE);
  const legacy = readLegacySnapshot(legacyPath);
  const fromLegacy = legacy && legacy.sha256 !== previous.header?.legacyImported ? legacy.messages : [];
  const backlog: QueuedMessage[] = [...fromLegacy, ...previous.messages];
  const { requeued, setAside } = await requeue(call, urls, backlog);
  if (setAside.length > 0) await keepAside(join(dir, REJECTED_FILE), setAside);
  await journal.commit(legacy ? { legacyImported: legacy.sha256 } : {});
  if (legacy) rmSync(legacyPath);
  return requeued;
}

async function keepAside(path: string, setAside: SetAside[]): Promise<void> {
  const at = new Date().toISOString();
  await appendDurably(
    path,
    setAside.map(({ message, reason }) => `${JSON.stringify({ setAsideAt: at, reason, ...message })}\n`).join(""),
  );
  for (const { message, reason } of setAside) {
    console.warn(
      `queue journal: set aside a ${message.queue} message that cannot be queued again (${reason}); kept in ${path}`,
    );
  }
}

/**
 * What fauxqs holds now. Sources are read before dead-letter queues and a later sighting wins, so a message its
 * redrive moves between two reads is kept once, in the dead-letter queue.
 */
async function exactState(heldIn: (role: QueueRole) => Promise<JournaledMessage[]>): Promise<JournaledMessage[]> {
  const byId = new Map<string, JournaledMessage>();
  for (const role of ["turns", "replies", "turnsDlq", "repliesDlq"] as const) {
    for (const message of await heldIn(role)) {
      byId.delete(message.id);
      byId.set(message.id, message);
    }
  }
  return [...byId.values()];
}
