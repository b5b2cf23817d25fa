import { MetricUnit, Metrics as PowertoolsMetrics } from "@aws-lambda-powertools/metrics";
import { METRICS_NAMESPACE, type MetricEvent, type Metrics } from "../metrics/metrics.ts";
import { logger } from "./logger.ts";

/*
 * CloudWatch Embedded Metric Format through Powertools: one JSON line on stdout per event, which CloudWatch Logs
 * turns into metrics (no PutMetricData call, no added latency). Its default `service` dimension is dropped so every
 * metric is found by `account` alone. POWERTOOLS_METRICS_DISABLED=true (the local gateway's default) writes nothing.
 */

// Two dimension sets naming `account` is what EMF intends; Powertools warns about it on every line, so that one
// warning is dropped and every other goes to the log.
const SHARED_KEY_WARNING = /^EMF key "account" is defined as both a dimension set and dimension set/;
const warnings = {
  ...console,
  warn: (message: string) => {
    if (!SHARED_KEY_WARNING.test(message)) logger.warn(message);
  },
};

const powertools = new PowertoolsMetrics({
  namespace: METRICS_NAMESPACE,
  serviceName: "sms-channel",
  logger: warnings,
});

export const metrics: Metrics = {
  record(event: MetricEvent): void {
    const single = powertools.singleMetric();
    single.clearDefaultDimensions();
    // The metric by account, and by account and its breakdown.
    single.addDimensions({ account: event.account });
    if (event.breakdown) single.addDimensions({ account: event.account, ...event.breakdown });
    const unit = event.unit === "Milliseconds" ? MetricUnit.Milliseconds : MetricUnit.Count;
    single.addMetric(event.name, unit, event.value ?? 1);
  },
};
