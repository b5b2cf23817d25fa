/**
 * Faults queued on a stand-in (Twilio, OpenAI-compatible, Bedrock): each lets `skip` requests through, then applies
 * to the next `times` requests (default 1), in the order they were queued.
 */
export class FaultQueue<F extends { skip?: number; times?: number }> {
  private readonly queued: Array<{ fault: F; skip: number; remaining: number }> = [];

  push(fault: F): void {
    this.queued.push({ fault, skip: fault.skip ?? 0, remaining: Math.max(1, fault.times ?? 1) });
  }

  /** The fault for the request now being handled, if one applies to it. */
  take(): F | undefined {
    const head = this.queued[0];
    if (!head) return undefined;
    if (head.skip > 0) {
      head.skip -= 1;
      return undefined;
    }
    head.remaining -= 1;
    if (head.remaining <= 0) this.queued.shift();
    return head.fault;
  }

  clear(): void {
    this.queued.length = 0;
  }
}
