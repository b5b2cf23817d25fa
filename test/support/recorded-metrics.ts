import type { MetricEvent, MetricName, Metrics } from "../../lib/metrics/metrics.ts";

/** Keeps every metric event, so a test can say what the domain counted (the EMF adapter has its own test). */
export class RecordedMetrics implements Metrics {
  readonly events: MetricEvent[] = [];

  record(event: MetricEvent): void {
    this.events.push(event);
  }

  /** The summed value of one metric, optionally only where its breakdown has this value. */
  total(name: MetricName, breakdownValue?: string): number {
    return this.events
      .filter((event) => event.name === name)
      .filter((event) => breakdownValue === undefined || Object.values(event.breakdown ?? {}).includes(breakdownValue))
      .reduce((sum, event) => sum + (event.value ?? 1), 0);
  }
}
