import { Aws, Duration } from "aws-cdk-lib";
import type * as apigateway from "aws-cdk-lib/aws-apigateway";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { METRIC, METRICS_NAMESPACE, type MetricName } from "../../lib/metrics/metrics.ts";

/** When the alarms fire; every one has a default. */
export interface AlarmThresholds {
  /** The oldest message waiting on the turns or replies queue, in seconds. Default 300. */
  oldestMessageSeconds?: number;
  /** Failed sends / (texts sent + failed sends) over 15 minutes, per account. Default 0.2. */
  twilioFailureRate?: number;
  /** The failure rate is judged only over at least this many sends in the 15 minutes. Default 5. */
  twilioFailureMinimumMessages?: number;
  /**
   * Webhooks refused for a bad signature in 5 minutes, per account. Default 10: a rotated or never-set auth token
   * turns every inbound message into a 403, which no 5xx alarm sees.
   */
  refusedSignatures?: number;
}

export interface ObservabilityProps {
  functions: Readonly<Record<string, lambda.IFunction>>;
  api: apigateway.RestApi;
  queues: { turns: sqs.IQueue; turnsDlq: sqs.IQueue; replies: sqs.IQueue; repliesDlq: sqs.IQueue };
  accounts: readonly string[];
  /** Subscribed to the alarm topic (it must confirm the subscription e-mail). */
  alarmEmail?: string;
  thresholds?: AlarmThresholds;
}

const FIVE_MINUTES = Duration.minutes(5);
const RATE_PERIOD = Duration.minutes(15);

/**
 * What an operator watches: one SNS topic every alarm notifies, the alarms (dead letters, function errors and
 * throttles, API 5xx, queues falling behind, Twilio failing, the auth-token placeholder), and a dashboard with the
 * channel's own metrics (lib/metrics/metrics.ts) beside the queue depths.
 */
export class ChannelObservability extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  readonly dashboardUrl: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: ObservabilityProps,
  ) {
    super(scope, id);
    this.topic = new sns.Topic(this, "Alarms", { displayName: "sms-channel alarms", enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.addAlarms(props.thresholds ?? {});
    this.dashboard = this.buildDashboard();
    this.dashboardUrl =
      `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}` +
      `#dashboards:name=${this.dashboard.dashboardName}`;
  }

  private addAlarms(thresholds: AlarmThresholds): void {
    const { queues, functions, api, accounts } = this.props;
    const atLeastOne = {
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    };
    this.alarm("TurnsDlqNotEmpty", "A turn is in the turns dead-letter queue (smsctl dlq list)", {
      metric: queues.turnsDlq.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: "Maximum",
      }),
      ...atLeastOne,
    });
    this.alarm("RepliesDlqNotEmpty", "A reply is in the replies dead-letter queue (smsctl dlq list)", {
      metric: queues.repliesDlq.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: "Maximum",
      }),
      ...atLeastOne,
    });
    for (const [name, fn] of Object.entries(functions)) {
      const title = name.charAt(0).toUpperCase() + name.slice(1);
      this.alarm(`${title}Errors`, `The ${name} function failed`, {
        metric: fn.metricErrors({ period: FIVE_MINUTES, statistic: "Sum" }),
        ...atLeastOne,
      });
      this.alarm(`${title}Throttles`, `The ${name} function was throttled`, {
        metric: fn.metricThrottles({ period: FIVE_MINUTES, statistic: "Sum" }),
        ...atLeastOne,
      });
    }
    this.alarm("Api5xx", "The webhook API answered 5xx (Twilio retries, then gives the message up)", {
      metric: api.metricServerError({ period: FIVE_MINUTES, statistic: "Sum" }),
      ...atLeastOne,
    });
    const oldest = thresholds.oldestMessageSeconds ?? 300;
    for (const [name, queue] of [
      ["Turns", queues.turns],
      ["Replies", queues.replies],
    ] as const) {
      this.alarm(
        `${name}FallingBehind`,
        `The oldest message on the ${name.toLowerCase()} queue is over ${oldest} s old`,
        {
          metric: queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: "Maximum" }),
          threshold: oldest,
          evaluationPeriods: 3,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        },
      );
    }
    const rate = thresholds.twilioFailureRate ?? 0.2;
    const minimum = thresholds.twilioFailureMinimumMessages ?? 5;
    for (const account of accounts) {
      const suffix = accounts.length > 1 ? `-${account}` : "";
      // FILL: with every send failing there are no TextsSent datapoints at all, which must still count as 0.
      const attempts = "FILL(sent, 0) + FILL(failed, 0)";
      this.alarm(`TwilioFailureRate${suffix}`, `Over ${rate * 100}% of sends to Twilio failed (account ${account})`, {
        metric: new cloudwatch.MathExpression({
          expression: `IF(${attempts} >= ${minimum}, FILL(failed, 0) / (${attempts}), 0)`,
          usingMetrics: {
            sent: channelMetric(METRIC.textsSent, account, RATE_PERIOD),
            failed: channelMetric(METRIC.sendFailures, account, RATE_PERIOD),
          },
          period: RATE_PERIOD,
          label: "Twilio failure rate",
        }),
        threshold: rate,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
      const refused = thresholds.refusedSignatures ?? 10;
      this.alarm(
        `RefusedSignatures${suffix}`,
        `${refused} or more webhooks refused for their signature (account ${account})`,
        {
          metric: new cloudwatch.Metric({
            namespace: METRICS_NAMESPACE,
            metricName: METRIC.inbound,
            dimensionsMap: { account, outcome: "refused:signature" },
            statistic: "Sum",
            period: FIVE_MINUTES,
          }),
          threshold: refused,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        },
      );
      this.alarm(
        `AuthTokenNotSet${suffix}`,
        `Twilio refused a send and the auth-token secret of account ${account} still holds its placeholder`,
        { metric: channelMetric(METRIC.authTokenNotSet, account, FIVE_MINUTES), ...atLeastOne },
      );
    }
  }

  private alarm(
    id: string,
    description: string,
    options: Pick<cloudwatch.AlarmProps, "metric" | "threshold" | "comparisonOperator"> & {
      evaluationPeriods?: number;
    },
  ): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: description,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...options,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }

  private buildDashboard(): cloudwatch.Dashboard {
    const { queues, functions } = this.props;
    const search = (name: MetricName, breakdown: string, label: string) =>
      new cloudwatch.MathExpression({
        expression: `SEARCH('{${METRICS_NAMESPACE},account,${breakdown}} MetricName="${name}"', 'Sum', 300)`,
        label,
        period: FIVE_MINUTES,
      });
    const byAccount = (name: MetricName, statistic = "Sum") =>
      new cloudwatch.MathExpression({
        expression: `SEARCH('{${METRICS_NAMESPACE},account} MetricName="${name}"', '${statistic}', 300)`,
        label: name,
        period: FIVE_MINUTES,
      });
    const graph = (title: string, left: cloudwatch.IMetric[]) => new cloudwatch.GraphWidget({ title, left, width: 8 });
    const dashboard = new cloudwatch.Dashboard(this, "Dashboard", { defaultInterval: Duration.hours(24) });
    dashboard.addWidgets(
      graph("Inbound messages by outcome", [search(METRIC.inbound, "outcome", "")]),
      graph("Texts sent and segments billed", [byAccount(METRIC.textsSent), byAccount(METRIC.segmentsBilled)]),
      graph("Delivery statuses", [search(METRIC.deliveryStatuses, "status", "")]),
    );
    dashboard.addWidgets(
      graph("Twilio errors by code", [search(METRIC.twilioErrors, "code", "")]),
      graph("Replies: sent and not", [byAccount(METRIC.repliesSent), search(METRIC.repliesFailed, "reason", "")]),
      graph("Agent: turns and model failures", [
        search(METRIC.turns, "outcome", ""),
        search(METRIC.modelFailures, "reason", ""),
      ]),
    );
    dashboard.addWidgets(
      graph("Model latency (p50, p90)", [byAccount(METRIC.modelLatency, "p50"), byAccount(METRIC.modelLatency, "p90")]),
      graph(
        "Queue depths",
        Object.entries(queues).map(([name, queue]) =>
          queue.metricApproximateNumberOfMessagesVisible({
            label: name,
            period: Duration.minutes(1),
            statistic: "Maximum",
          }),
        ),
      ),
      graph(
        "Function errors and throttles",
        Object.entries(functions).flatMap(([name, fn]) => [
          fn.metricErrors({ label: `${name} errors`, period: FIVE_MINUTES, statistic: "Sum" }),
          fn.metricThrottles({ label: `${name} throttles`, period: FIVE_MINUTES, statistic: "Sum" }),
        ]),
      ),
    );
    return dashboard;
  }
}

function channelMetric(name: MetricName, account: string, period: Duration): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { account },
    statistic: "Sum",
    period,
  });
}
