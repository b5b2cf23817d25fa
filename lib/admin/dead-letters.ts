import { numberOf } from "../access/address.ts";
import { maskPhone } from "../access/phone.ts";
import type { DeadLetter } from "../queue/dead-letter-queue.ts";
import type { AdminDeps } from "./deps.ts";

/** `smsctl dlq list|redrive|purge`: what waits in the dead-letter queues, put back, or thrown away. */

export const DLQ_NAMES = ["turns", "replies"] as const;
export type DlqName = (typeof DLQ_NAMES)[number];

/** The slice of a dead-letter queue these use-cases need (lib/queue/dead-letter-queue.ts). */
export interface DeadLetterPort {
  /** Messages in the queue, visible or not. */
  depth(): Promise<number>;
  hold(limit: number): Promise<DeadLetter[]>;
  release(letters: readonly DeadLetter[]): Promise<void>;
  redrive(letter: DeadLetter, nowMs: number): Promise<void>;
  remove(letter: DeadLetter): Promise<void>;
}

export interface DlqInput {
  /** Absent: both queues. */
  queue?: DlqName;
}
export interface DlqListInput extends DlqInput {
  showBody: boolean;
}
export interface DlqRedriveInput extends DlqInput {
  /** Absent: every message. */
  ids?: string[];
}

export interface DeadLetterView {
  queue: DlqName;
  id: string;
  /** Seconds since it entered the dead-letter queue. */
  ageSeconds: number;
  account: string | null;
  /** The sender of a turn or the recipient of a reply, masked. */
  number: string | null;
  /** turnId or replyId: the key that keeps a redrive from answering or sending twice. */
  key: string | null;
  reason: string;
  /** The message text, only when asked for. */
  text?: string;
}

export interface DeadLetterList {
  letters: DeadLetterView[];
  /**
   * Waiting but not shown: beyond LIST_LIMIT per queue, or behind the first messages of their sender's FIFO group
   * (a FIFO queue hands out a group's next message only once the one before it is gone).
   */
  notShown: number;
}

export interface DeadLettersRedriven {
  redriven: Array<{ queue: DlqName; id: string }>;
  /** Asked-for ids not among the messages this run could read. */
  notFound: string[];
  /** Still waiting in the dead-letter queues afterwards (the limit or the time budget was reached, or they bounced). */
  remaining: number;
}

export interface DeadLettersPurged {
  removed: Record<DlqName, number>;
  remaining: number;
}

/** Per queue and command: a listing reads this many, a redrive or purge works through at most this many. */
export const LIST_LIMIT = 100;
export const BULK_LIMIT = 1000;
/** A redrive or purge stops starting new batches after this long: the admin function has 30 s. */
export const BULK_BUDGET_MS = 20_000;

const MOVED_BY_SQS = "moved by the queue's redrive policy after too many receives (the consumer never finished it)";

export async function listDeadLetters(deps: AdminDeps, input: DlqListInput): Promise<DeadLetterList> {
  const letters: DeadLetterView[] = [];
  let notShown = 0;
  for (const queue of queuesOf(input)) {
    const dlq = deps.deadLetterQueues[queue];
    const held = await dlq.hold(LIST_LIMIT);
    const depth = await dlq.depth();
    await dlq.release(held);
    notShown += Math.max(0, depth - held.length);
    letters.push(...held.map((letter) => view(queue, letter, deps.now(), input.showBody)));
  }
  return { letters, notShown };
}

/**
 * Each message goes back to its own queue, in its FIFO group; the rest stay where they are. Only messages that
 * were there when the run began: one that fails again and bounces back during the run waits for the next.
 */
export async function redriveDeadLetters(deps: AdminDeps, input: DlqRedriveInput): Promise<DeadLettersRedriven> {
  const started = deps.now();
  const redriven: DeadLettersRedriven["redriven"] = [];
  const wanted = input.ids ? new Set(input.ids) : undefined;
  for (const queue of queuesOf(input)) {
    const dlq = deps.deadLetterQueues[queue];
    let moved = 0;
    while (moved < BULK_LIMIT && deps.now() - started < BULK_BUDGET_MS) {
      const held = await dlq.hold(Math.min(LIST_LIMIT, BULK_LIMIT - moved));
      const chosen = held.filter((letter) => letter.sentAt < started && (!wanted || wanted.has(letter.id)));
      for (const letter of chosen) {
        await dlq.redrive(letter, deps.now());
        redriven.push({ queue, id: letter.id });
        wanted?.delete(letter.id);
        moved += 1;
      }
      await dlq.release(held.filter((letter) => !chosen.includes(letter)));
      // With ids, one pass reads what can be read; without, go on while a pass moves something.
      if (wanted || chosen.length === 0) break;
    }
  }
  return { redriven, notFound: wanted ? [...wanted] : [], remaining: await depthOf(deps, input) };
}

export async function purgeDeadLetters(deps: AdminDeps, input: DlqInput): Promise<DeadLettersPurged> {
  const started = deps.now();
  const removed: Record<DlqName, number> = { turns: 0, replies: 0 };
  for (const queue of queuesOf(input)) {
    const dlq = deps.deadLetterQueues[queue];
    while (removed[queue] < BULK_LIMIT && deps.now() - started < BULK_BUDGET_MS) {
      const held = await dlq.hold(Math.min(LIST_LIMIT, BULK_LIMIT - removed[queue]));
      if (held.length === 0) break;
      for (const letter of held) await dlq.remove(letter);
      removed[queue] += held.length;
    }
  }
  return { removed, remaining: await depthOf(deps, input) };
}

async function depthOf(deps: AdminDeps, input: DlqInput): Promise<number> {
  const depths = await Promise.all(queuesOf(input).map((queue) => deps.deadLetterQueues[queue].depth()));
  return depths.reduce((sum, depth) => sum + depth, 0);
}

function queuesOf(input: DlqInput): readonly DlqName[] {
  return input.queue ? [input.queue] : DLQ_NAMES;
}

/** What the operator may see of a dead letter: never the number in full, the text only when asked for. */
function view(queue: DlqName, letter: DeadLetter, nowMs: number, showBody: boolean): DeadLetterView {
  const message = parsed(letter.body);
  const number = queue === "turns" ? message.from : message.to;
  const key = queue === "turns" ? message.turnId : message.replyId;
  return {
    queue,
    id: letter.id,
    ageSeconds: Math.max(0, Math.round((nowMs - letter.sentAt) / 1000)),
    account: message.account ?? null,
    number: number ? maskPhone(numberOf(number)) : null,
    key: key ?? null,
    reason: letter.reason ?? MOVED_BY_SQS,
    ...(showBody ? { text: message.text ?? letter.body } : {}),
  };
}

interface LooseMessage {
  account?: string;
  from?: string;
  to?: string;
  turnId?: string;
  replyId?: string;
  text?: string;
}

/** A dead letter may be anything (that may be why it is there): only string fields are read. */
function parsed(body: string): LooseMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return {};
  }
  if (typeof value !== "object" || value === null) return {};
  const record = value as Record<string, unknown>;
  const pick = (name: keyof LooseMessage) =>
    Object.hasOwn(record, name) && typeof record[name] === "string" ? { [name]: record[name] as string } : {};
  return {
    ...pick("account"),
    ...pick("from"),
    ...pick("to"),
    ...pick("turnId"),
    ...pick("replyId"),
    ...pick("text"),
  };
}
