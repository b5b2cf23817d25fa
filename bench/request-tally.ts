import type { Harness } from "../test/support/flow-harness.ts";

export type Counts = Record<string, number>;

/** Per-command tallies of the requests the two clients actually put on the wire. */
export class RequestTally {
  dynamo: Counts = {};
  sqs: Counts = {};

  attach(h: Harness): void {
    // finalizeRequest, low priority: after the retry middleware, so each attempt is counted once.
    const options = { step: "finalizeRequest", priority: "low", name: "benchRequestCounter" } as const;
    h.aws.dynamo.middlewareStack.add(
      (next, context) => (args) => {
        this.count(this.dynamo, context.commandName);
        return next(args);
      },
      options,
    );
    h.aws.sqs.middlewareStack.add(
      (next, context) => (args) => {
        this.count(this.sqs, context.commandName);
        return next(args);
      },
      options,
    );
  }

  /** Counts what `action` sends, and only that (checks made afterwards are not counted). */
  async during(action: () => Promise<unknown>): Promise<{ dynamo: Counts; sqs: Counts }> {
    this.dynamo = {};
    this.sqs = {};
    await action();
    const counted = { dynamo: this.dynamo, sqs: this.sqs };
    this.dynamo = {};
    this.sqs = {};
    return counted;
  }

  private count(into: Counts, commandName: string | undefined): void {
    const name = (commandName ?? "unknown").replace(/Command$/, "");
    into[name] = (into[name] ?? 0) + 1;
  }
}

export const total = (counts: Counts) => Object.values(counts).reduce((sum, n) => sum + n, 0);
export const formatCounts = (counts: Counts) =>
  Object.keys(counts).length === 0
    ? "0"
    : `${total(counts)} (${Object.entries(counts)
        .map(([name, n]) => `${name}${n > 1 ? ` x${n}` : ""}`)
        .join(", ")})`;
