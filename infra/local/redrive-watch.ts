import type { QueueRole } from "./queue-journal-records.ts";

export interface RedrivePolicy {
  deadLetter: QueueRole;
  maxReceiveCount: number;
}

/**
 * Counts receives per message, as fauxqs does, to know which messages its redrive will move to the dead-letter
 * queue on their next receive: fauxqs does that inside a ReceiveMessage and says nothing, so only those candidates
 * need looking for in the dead-letter queue afterwards.
 */
export class RedriveWatch {
  private readonly receives = new Map<string, number>();
  private readonly due = new Map<QueueRole, Set<string>>();

  constructor(private readonly policies: Partial<Record<QueueRole, RedrivePolicy>>) {}

  policyOf(queue: QueueRole): RedrivePolicy | undefined {
    return this.policies[queue];
  }

  received(queue: QueueRole, id: string): void {
    const policy = this.policies[queue];
    if (!policy) return;
    const count = (this.receives.get(id) ?? 0) + 1;
    this.receives.set(id, count);
    if (count >= policy.maxReceiveCount) {
      const due = this.due.get(queue) ?? new Set<string>();
      due.add(id);
      this.due.set(queue, due);
    }
  }

  /** Messages of `queue` that the next receive moves to its dead-letter queue, unless deleted first. */
  dueIn(queue: QueueRole): string[] {
    return [...(this.due.get(queue) ?? [])];
  }

  forget(id: string): void {
    this.receives.delete(id);
    for (const due of this.due.values()) due.delete(id);
  }
}
