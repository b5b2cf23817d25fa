import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { ResolvedConfig } from "../lib/config/types.ts";
import { SmsChannel, type SmsChannelProps } from "./sms-channel.ts";

export type SmsChannelStackProps = StackProps & { config: ResolvedConfig } & Omit<SmsChannelProps, "config">;

/** The deployable unit: one SmsChannel plus the outputs an operator needs after `cdk deploy`. */
export class SmsChannelStack extends Stack {
  readonly channel: SmsChannel;

  constructor(scope: Construct, id: string, props: SmsChannelStackProps) {
    const { config, stageName, logRetention, removalPolicy, apiGatewayLogRole, alarmThresholds, ...stackProps } = props;
    super(scope, id, {
      description: "SMS channel for AI agents on Twilio (sms-channel)",
      ...stackProps,
    });
    this.channel = new SmsChannel(this, "Channel", {
      config,
      stageName,
      logRetention,
      removalPolicy,
      apiGatewayLogRole,
      alarmThresholds,
    });
    this.addOutputs(config);
  }

  private addOutputs(config: ResolvedConfig): void {
    const channel = this.channel;
    const suffixes = outputSuffixes(
      config.accounts.map((account) => account.id),
      config.defaultAccount,
    );
    const suffixOf = (accountId: string) => suffixes.get(accountId) ?? "";

    for (const [accountId, url] of Object.entries(channel.webhookUrls)) {
      new CfnOutput(this, `WebhookUrl${suffixOf(accountId)}`, {
        value: url,
        description: `Twilio "A message comes in" webhook (HTTP POST) for SMS account "${accountId}"`,
      });
    }
    new CfnOutput(this, "AdminUrl", {
      value: channel.adminUrl,
      description: "Admin Function URL (AWS_IAM): smsctl --url <this> or SMS_ADMIN_URL",
    });
    new CfnOutput(this, "TurnsQueueUrl", { value: channel.turnsQueue.queueUrl, description: "Agent turns (FIFO)" });
    new CfnOutput(this, "RepliesQueueUrl", { value: channel.repliesQueue.queueUrl, description: "Replies (FIFO)" });
    new CfnOutput(this, "TurnsDlqUrl", { value: channel.turnsDlq.queueUrl, description: "Turns no agent could take" });
    new CfnOutput(this, "RepliesDlqUrl", { value: channel.repliesDlq.queueUrl, description: "Undeliverable replies" });
    new CfnOutput(this, "TableName", { value: channel.table.tableName, description: "Channel state (DynamoDB)" });
    new CfnOutput(this, "AlarmTopicArn", {
      value: channel.observability.topic.topicArn,
      description: "Every alarm notifies this SNS topic (monitoring.alarmEmail in the config subscribes to it)",
    });
    new CfnOutput(this, "DashboardUrl", {
      value: channel.observability.dashboardUrl,
      description: "CloudWatch dashboard: messages, texts, segments, Twilio errors, queue depths",
    });

    for (const account of config.accounts) {
      const keySecret = channel.agentApiKeySecrets[account.id];
      if (keySecret && account.agent.kind === "openai" && account.agent.apiKey) {
        const key = account.agent.apiKey;
        const secretId = key.source === "aws" ? key.id : "<this ARN>";
        new CfnOutput(this, `AgentApiKeySecretArn${suffixOf(account.id)}`, {
          value: keySecret.secretArn,
          description:
            `${key.source === "aws" ? "Existing secret" : "Secret"} holding the agent API key of SMS account ` +
            `"${account.id}". Set it with: aws secretsmanager put-secret-value --secret-id ${secretId} --secret-string <key>`,
        });
      }
      const secret = channel.authTokenSecrets[account.id];
      if (!secret) continue;
      const token = account.authToken;
      const imported = token.source === "aws";
      // Output descriptions must be literal strings, so the command names this output rather than the ARN token.
      const secretId = token.source === "aws" ? token.id : "<this ARN>";
      new CfnOutput(this, `AuthTokenSecretArn${suffixOf(account.id)}`, {
        value: secret.secretArn,
        description:
          `${imported ? "Existing secret" : "Secret"} holding the Twilio auth token of SMS account "${account.id}". ` +
          `Set it with: aws secretsmanager put-secret-value --secret-id ${secretId} --secret-string <token>`,
      });
    }
  }
}

/**
 * Output ids must be alphanumeric: the default account gets none, others their id in PascalCase
 * ("support-team" -> "SupportTeam"), numbered if two ids collapse to the same suffix.
 */
export function outputSuffixes(accountIds: readonly string[], defaultAccount: string): Map<string, string> {
  const suffixes = new Map<string, string>();
  const used = new Set<string>([""]);
  for (const id of accountIds) {
    if (id === defaultAccount) {
      suffixes.set(id, "");
      continue;
    }
    const base = id
      .split(/[^A-Za-z0-9]+/)
      .filter((part) => part !== "")
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join("");
    let suffix = base || "Account";
    for (let n = 2; used.has(suffix); n++) suffix = `${base || "Account"}${n}`;
    used.add(suffix);
    suffixes.set(id, suffix);
  }
  return suffixes;
}
