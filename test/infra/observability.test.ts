import { Match } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_SID, logicalIdOf, type SynthResult, smsConfig, synthStack } from "../support/synth.ts";

// What the operator gets from `cdk deploy`: one alarm topic, every alarm on the right metric notifying it, a
// dashboard, and both in the outputs.

const config = smsConfig({
  accountSid: ACCOUNT_SID,
  authToken: "observability-token",
  fromNumber: "+15551234567",
  monitoring: { alarmEmail: "ops@example.com" },
  accounts: {
    personal: { fromNumber: "+15551230001" },
    work: { fromNumber: "+15551230002", agent: { kind: "bedrock", modelId: "amazon.nova-lite-v1:0" } },
  },
});

type Resource = { Properties: Record<string, unknown> };

describe("observability: alarms, topic, dashboard", () => {
  let result: SynthResult;
  let alarms: Record<string, Resource>;
  let topicId: string;

  beforeAll(() => {
    result = synthStack(config);
    alarms = result.template.findResources("AWS::CloudWatch::Alarm") as Record<string, Resource>;
    topicId = logicalIdOf(result, result.stack.channel.observability.topic);
  });

  const alarmsOn = (metricName: string) =>
    Object.values(alarms).filter((alarm) => alarm.Properties.MetricName === metricName);

  it("has one SNS topic, TLS only, with the configured e-mail subscribed", () => {
    result.template.resourceCountIs("AWS::SNS::Topic", 1);
    result.template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "ops@example.com",
      TopicArn: { Ref: topicId },
    });
    result.template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      }),
    });
  });

  it("every alarm notifies the topic when it fires and when it clears", () => {
    expect(Object.keys(alarms).length).toBeGreaterThan(10);
    for (const alarm of Object.values(alarms)) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.TreatMissingData).toBe("notBreaching");
    }
  });

  it("alarms on any message in either dead-letter queue", () => {
    const dlqAlarms = alarmsOn("ApproximateNumberOfMessagesVisible");
    const queues = dlqAlarms.map((alarm) => (alarm.Properties.Dimensions as Array<{ Value: unknown }>)[0]?.Value);
    const { turnsDlq, repliesDlq } = result.stack.channel;
    expect(queues).toEqual([
      { "Fn::GetAtt": [logicalIdOf(result, turnsDlq), "QueueName"] },
      { "Fn::GetAtt": [logicalIdOf(result, repliesDlq), "QueueName"] },
    ]);
    for (const alarm of dlqAlarms) {
      expect(alarm.Properties).toMatchObject({
        Namespace: "AWS/SQS",
        Statistic: "Maximum",
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      });
    }
  });

  it("alarms on errors and throttles of every function, and on API Gateway 5xx", () => {
    const functions = Object.values(result.stack.channel.functions).map((fn) => ({ Ref: logicalIdOf(result, fn) }));
    expect(functions).toHaveLength(4);
    for (const metric of ["Errors", "Throttles"]) {
      const watched = alarmsOn(metric).map(
        (alarm) => (alarm.Properties.Dimensions as Array<{ Value: unknown }>)[0]?.Value,
      );
      expect(watched).toEqual(expect.arrayContaining(functions));
      expect(watched).toHaveLength(4);
    }
    const api = alarmsOn("5XXError");
    expect(api).toHaveLength(1);
    expect(api[0]?.Properties).toMatchObject({ Namespace: "AWS/ApiGateway", Statistic: "Sum", Threshold: 1 });
    // Keyed by the API's name, which names the stack: another stack's API never feeds this alarm.
    expect(api[0]?.Properties.Dimensions).toEqual([{ Name: "ApiName", Value: "SmsChannel-sms-webhooks" }]);
  });

  it("alarms when the oldest turn or reply has waited over 300 s, by default", () => {
    const age = alarmsOn("ApproximateAgeOfOldestMessage");
    expect(age).toHaveLength(2);
    for (const alarm of age) expect(alarm.Properties).toMatchObject({ Threshold: 300, EvaluationPeriods: 3 });
  });

  it("per account: a Twilio failure rate over 20% and the auth-token placeholder", () => {
    const rates = Object.values(alarms).filter((alarm) =>
      JSON.stringify(alarm.Properties.Metrics ?? "").includes("FILL(failed, 0) / (FILL(sent, 0) + FILL(failed, 0))"),
    );
    expect(rates).toHaveLength(3);
    for (const alarm of rates) {
      expect(alarm.Properties.Threshold).toBe(0.2);
      const metrics = alarm.Properties.Metrics as Array<{ MetricStat?: { Metric: Record<string, unknown> } }>;
      const names = metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : []));
      expect(names.sort()).toEqual(["SendFailures", "TextsSent"]);
      for (const m of metrics) if (m.MetricStat) expect(m.MetricStat.Metric.Namespace).toBe("SmsChannel");
    }
    const placeholder = alarmsOn("AuthTokenNotSet");
    expect(placeholder.map((alarm) => alarm.Properties.Dimensions)).toEqual([
      [{ Name: "account", Value: "default" }],
      [{ Name: "account", Value: "personal" }],
      [{ Name: "account", Value: "work" }],
    ]);
    for (const alarm of placeholder) expect(alarm.Properties).toMatchObject({ Namespace: "SmsChannel", Threshold: 1 });
    const forged = alarmsOn("InboundMessages");
    expect(forged.map((alarm) => alarm.Properties.Dimensions)).toEqual(
      ["default", "personal", "work"].map((account) => [
        { Name: "account", Value: account },
        { Name: "outcome", Value: "refused:signature" },
      ]),
    );
    for (const alarm of forged)
      expect(alarm.Properties).toMatchObject({ Threshold: 10, Statistic: "Sum", Period: 300 });
  });

  it("has a dashboard with the channel's metrics and the queue depths, and outputs its URL and the topic", () => {
    const dashboards = result.template.findResources("AWS::CloudWatch::Dashboard");
    expect(Object.keys(dashboards)).toHaveLength(1);
    const body = JSON.stringify(Object.values(dashboards)[0]);
    for (const name of ["InboundMessages", "TextsSent", "SegmentsBilled", "TwilioErrors", "DeliveryStatuses"]) {
      expect(body).toContain(name);
    }
    expect(body).toContain("ApproximateNumberOfMessagesVisible");
    result.template.hasOutput("AlarmTopicArn", { Value: { Ref: topicId } });
    result.template.hasOutput("DashboardUrl", Match.anyValue());
  });

  it("takes its thresholds as construct props, and subscribes nobody without an e-mail", () => {
    const bare = smsConfig({ accountSid: ACCOUNT_SID, authToken: "t", fromNumber: "+15551234567" });
    const custom = synthStack(bare, { alarmThresholds: { oldestMessageSeconds: 60, twilioFailureRate: 0.5 } });
    custom.template.resourceCountIs("AWS::SNS::Subscription", 0);
    custom.template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "ApproximateAgeOfOldestMessage",
      Threshold: 60,
    });
    custom.template.hasResourceProperties("AWS::CloudWatch::Alarm", { Threshold: 0.5, Metrics: Match.anyValue() });
  });
});
