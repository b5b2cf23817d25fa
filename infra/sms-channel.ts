import { Aws, Duration, Fn, RemovalPolicy, Stack } from "aws-cdk-lib";
import * as apigateway from "aws-cdk-lib/aws-apigateway";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { toRuntimeConfig } from "../lib/config/runtime.ts";
import { builtInAgentRuns, OWN_CONSUMER_TIMEOUT_SECONDS, TURNS_MAX_RECEIVE_COUNT } from "../lib/config/turn-timing.ts";
import type { ResolvedAccount, ResolvedConfig } from "../lib/config/types.ts";
import type { FunctionName } from "./bundle-options.ts";
import { grantBedrockModels } from "./channel/agent.ts";
import {
  agentSizing,
  channelFunction,
  channelLogGroup,
  FUNCTION_SIZING,
  type FunctionSizing,
  grantSecretValues,
} from "./channel/functions.ts";
import { type AlarmThresholds, ChannelObservability } from "./channel/observability.ts";
import { fifoQueueWithDlq } from "./channel/queues.ts";
import { channelSecret, secretIdForRuntime, secretPolicyResources } from "./channel/secrets.ts";
import { webhookRoutes } from "./channel/webhook-routes.ts";
import { addSmsChannelNagSuppressions } from "./nag-suppressions.ts";

export interface SmsChannelProps {
  /** Validated channel config (resolveConfig / loadConfig); inline tokens and keys in it never reach the template. */
  config: ResolvedConfig;
  /** API Gateway stage, the first segment of every webhook path. Default "prod". */
  stageName?: string;
  /** Retention of every log group. Default one month. */
  logRetention?: logs.RetentionDays;
  /** What happens to the table and the secrets when the stack goes away. Default RETAIN. */
  removalPolicy?: RemovalPolicy;
  /**
   * Also register the region's API Gateway CloudWatch role (an account-wide setting, kept when the stack goes). A
   * REST stage cannot write access logs until some stack or person has set it once per account and region, so a
   * first deploy into a fresh account needs this. Default false: the stack leaves account settings alone.
   */
  apiGatewayLogRole?: boolean;
  /** When the alarms fire (oldest queued message, Twilio failure rate); each has a default. */
  alarmThresholds?: AlarmThresholds;
}

export interface SmsChannelFunctions {
  inbound: lambda.Function;
  outbound: lambda.Function;
  admin: lambda.Function;
  /** The built-in agent (config `agent`); absent when every account leaves its turns to your own consumer. */
  agent?: lambda.Function;
}

/** `SecretRef.provider` meaning: "the secret ARN is in SMS_AUTH_TOKEN_SECRET_ARNS under this account id". */
export const STACK_SECRET_PROVIDER = "stack";
/** The same for an agent's API key, mapped in SMS_AGENT_API_KEY_SECRET_ARNS. */
export const STACK_AGENT_KEY_PROVIDER = "stack-agent-key";

/** Failed Twilio attempts after which the outbound function parks a reply in the DLQ itself, with its reason. */
const OUTBOUND_MAX_ATTEMPTS = 5;
/**
 * The redrive is only the backstop for crashes. A reply behind a failing one in its FIFO group is received (and
 * handed back unprocessed) once per failure of the one ahead, so receives run ahead of attempts: 100 receives lets
 * about 20 replies queued to one recipient wait out an outage before SQS's own redrive (which records no reason).
 */
const REPLIES_MAX_RECEIVE_COUNT = 100;
/** What a consumer of your own gets to process a turn when no agent function is deployed. */
const OWN_CONSUMER_TIMEOUT = Duration.seconds(OWN_CONSUMER_TIMEOUT_SECONDS);

/**
 * The whole SMS channel on AWS: webhook API, inbound/outbound/admin functions and the agent function (unless your
 * own consumer takes the turns), the state table, the turns and replies FIFO queues with their DLQs, and Secrets
 * Manager secrets for each account's Twilio auth token (and agent API key).
 *
 * Secrets: the bundled runtime-config.json cannot hold CloudFormation tokens, so each account's token is written
 * there as `{ source: "aws", provider: "stack", id: <accountId> }` (its API key with provider "stack-agent-key") and
 * the functions look the secret up in the `SMS_AUTH_TOKEN_SECRET_ARNS` / `SMS_AGENT_API_KEY_SECRET_ARNS`
 * environment variables (JSON: accountId -> secret ARN, or the name/ARN configured for an imported secret).
 */
export class SmsChannel extends Construct {
  readonly table: dynamodb.Table;
  readonly turnsQueue: sqs.Queue;
  readonly turnsDlq: sqs.Queue;
  readonly repliesQueue: sqs.Queue;
  readonly repliesDlq: sqs.Queue;
  readonly api: apigateway.RestApi;
  readonly functions: SmsChannelFunctions;
  readonly adminUrl: string;
  /** Exactly the URL Twilio should call, per enabled account: publicWebhookUrl, or the stage URL plus path. */
  readonly webhookUrls: Record<string, string>;
  /** The secret each account's auth token is read from (created here, or imported from config). */
  readonly authTokenSecrets: Record<string, secretsmanager.ISecret>;
  /** The secret each OpenAI-compatible agent's API key is read from, for accounts that configure one. */
  readonly agentApiKeySecrets: Record<string, secretsmanager.ISecret>;
  /** `https://<api>.execute-api.<region>.<suffix>/<stage>`, built from the RestApi id alone (no Stage dependency). */
  readonly stageBaseUrl: string;
  /** The alarm topic, the alarms and the dashboard. */
  readonly observability: ChannelObservability;
  /** `monitoring.tracing`: X-Ray active tracing on every function and the API stage. */
  readonly tracing: boolean;

  constructor(scope: Construct, id: string, props: SmsChannelProps) {
    super(scope, id);
    const { config } = props;
    const stageName = props.stageName ?? "prod";
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const enabled = config.accounts.filter((account) => account.enabled);
    const routes = webhookRoutes(enabled);
    const agentSize = builtInAgentRuns(config) ? agentSizing(config) : undefined;
    const tracing = config.monitoring?.tracing === true;
    this.tracing = tracing;

    this.table = new dynamodb.Table(this, "State", {
      partitionKey: { name: "pk", type: dynamodb.AttributeType.STRING },
      sortKey: { name: "sk", type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: "expiresAt",
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy,
    });

    [this.turnsQueue, this.turnsDlq] = fifoQueueWithDlq(
      this,
      "Turns",
      agentSize?.timeout ?? OWN_CONSUMER_TIMEOUT,
      TURNS_MAX_RECEIVE_COUNT,
    );
    [this.repliesQueue, this.repliesDlq] = fifoQueueWithDlq(
      this,
      "Replies",
      FUNCTION_SIZING.outbound.timeout,
      REPLIES_MAX_RECEIVE_COUNT,
    );

    this.authTokenSecrets = Object.fromEntries(
      config.accounts.map((account) => [
        account.id,
        channelSecret(
          this,
          `AuthToken-${account.id}`,
          account.authToken,
          `Twilio auth token for SMS account "${account.id}" (${account.accountSid}). ` +
            "Replace the generated placeholder with the token from the Twilio console.",
          removalPolicy,
        ),
      ]),
    );
    this.agentApiKeySecrets = Object.fromEntries(
      config.accounts.flatMap((account) => {
        const key = agentApiKey(account);
        if (!key) return [];
        const description =
          `API key of the agent of SMS account "${account.id}". ` +
          "Replace the generated placeholder with the key of your model endpoint.";
        return [[account.id, channelSecret(this, `AgentApiKey-${account.id}`, key, description, removalPolicy)]];
      }),
    );

    // The REST API exists before its methods, so functions can carry its id without waiting for the Stage.
    this.api = new apigateway.RestApi(this, "Api", {
      // API Gateway's metrics are keyed by this name: unique per stack, so two stacks' 5xx alarms stay apart.
      restApiName: `${Stack.of(this).stackName}-sms-webhooks`,
      description: "Twilio SMS webhooks",
      deploy: true,
      cloudWatchRole: props.apiGatewayLogRole === true,
      ...(props.apiGatewayLogRole ? { cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN } : {}),
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      deployOptions: {
        stageName,
        metricsEnabled: true,
        throttlingRateLimit: 50,
        throttlingBurstLimit: 100,
        accessLogDestination: new apigateway.LogGroupLogDestination(
          channelLogGroup(this, "ApiAccessLogs", logRetention),
        ),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        ...(tracing ? { tracingEnabled: true } : {}),
      },
    });
    // RestApi adds an "Endpoint" output with a generated name; the stack's WebhookUrl outputs say what Twilio needs.
    this.api.node.tryRemoveChild("Endpoint");
    this.stageBaseUrl = Fn.join("", [
      "https://",
      this.api.restApiId,
      ".execute-api.",
      Aws.REGION,
      ".",
      Aws.URL_SUFFIX,
      `/${stageName}`,
    ]);

    const runtimeConfigJson = JSON.stringify(
      toRuntimeConfig(config, {
        authToken: (account) => ({ source: "aws", provider: STACK_SECRET_PROVIDER, id: account.id }),
        agentApiKey: (account) => ({ source: "aws", provider: STACK_AGENT_KEY_PROVIDER, id: account.id }),
      }),
      null,
      2,
    );
    const secretIdsOf = (secrets: Record<string, secretsmanager.ISecret>, configured: typeof agentApiKey) =>
      Stack.of(this).toJsonString(
        Object.fromEntries(
          config.accounts.flatMap((account) => {
            const secret = secrets[account.id];
            const ref = configured(account);
            return secret && ref ? [[account.id, secretIdForRuntime(ref, secret)]] : [];
          }),
        ),
      );
    const environment: Record<string, string> = {
      SMS_RUNTIME_CONFIG_FILE: "/var/task/runtime-config.json",
      SMS_TABLE_NAME: this.table.tableName,
      SMS_TURNS_QUEUE_URL: this.turnsQueue.queueUrl,
      SMS_REPLIES_QUEUE_URL: this.repliesQueue.queueUrl,
      SMS_AUTH_TOKEN_SECRET_ARNS: secretIdsOf(this.authTokenSecrets, (account) => account.authToken),
      SMS_WEBHOOK_BASE_URL: this.stageBaseUrl,
      POWERTOOLS_SERVICE_NAME: "sms-channel",
      POWERTOOLS_LOG_LEVEL: "INFO",
      NODE_OPTIONS: "--enable-source-maps",
    };
    const make = (name: FunctionName, sizing: FunctionSizing, extra: Record<string, string> = {}) =>
      channelFunction(this, {
        name,
        sizing,
        runtimeConfigJson,
        environment: { ...environment, ...extra },
        logRetention,
        tracing,
      });

    const inbound = make("inbound", FUNCTION_SIZING.inbound);
    const outbound = make("outbound", FUNCTION_SIZING.outbound, {
      SMS_REPLIES_DLQ_URL: this.repliesDlq.queueUrl,
      SMS_MAX_ATTEMPTS: String(OUTBOUND_MAX_ATTEMPTS),
    });
    const admin = make("admin", FUNCTION_SIZING.admin, {
      SMS_TURNS_DLQ_URL: this.turnsDlq.queueUrl,
      SMS_REPLIES_DLQ_URL: this.repliesDlq.queueUrl,
    });
    const agent = agentSize
      ? make("agent", agentSize, {
          SMS_TURNS_DLQ_URL: this.turnsDlq.queueUrl,
          SMS_AGENT_API_KEY_SECRET_ARNS: secretIdsOf(this.agentApiKeySecrets, agentApiKey),
        })
      : undefined;
    this.functions = { inbound, outbound, admin, ...(agent ? { agent } : {}) };

    const integration = new apigateway.LambdaIntegration(inbound, { allowTestInvoke: false });
    for (const route of routes) {
      const resource = route.segments.length === 0 ? this.api.root : this.api.root.resourceForPath(route.path);
      resource.addMethod("POST", integration);
    }
    this.webhookUrls = Object.fromEntries(
      enabled.map((account) => [account.id, account.publicWebhookUrl ?? `${this.stageBaseUrl}${account.webhookPath}`]),
    );

    this.adminUrl = admin.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM }).url;

    const tokenResources = config.accounts.flatMap((account) => {
      const secret = this.authTokenSecrets[account.id];
      return secret ? secretPolicyResources(account.authToken, secret) : [];
    });
    // Exactly the calls each function makes (lib/store/*): every write is a conditional UpdateItem.
    this.grantTable(inbound, "GetItem", "UpdateItem", "DeleteItem"); // DeleteItem: START clears an opt-out item
    this.grantTable(outbound, "BatchGetItem", "UpdateItem");
    this.grantTable(admin, "GetItem", "UpdateItem", "Query"); // Query: status counts an account's opt-outs
    this.turnsQueue.grant(inbound, "sqs:SendMessage");
    this.repliesQueue.grant(inbound, "sqs:SendMessage");
    this.repliesQueue.grant(admin, "sqs:SendMessage");
    // `smsctl dlq redrive` puts a dead letter back on its own queue.
    this.turnsQueue.grant(admin, "sqs:SendMessage");
    this.repliesDlq.grant(outbound, "sqs:SendMessage");
    // `smsctl status` counts what waits in each DLQ; `smsctl dlq list|redrive|purge` reads, releases and deletes.
    for (const dlq of [this.turnsDlq, this.repliesDlq]) {
      dlq.grant(
        admin,
        "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage",
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
      );
    }
    for (const fn of [inbound, outbound, admin]) grantSecretValues(fn, tokenResources);

    // The event sources also grant the consumer's receive/delete/visibility permissions on their queue.
    outbound.addEventSource(new SqsEventSource(this.repliesQueue, { batchSize: 10, reportBatchItemFailures: true }));
    if (agent) {
      // One turn per invocation: a model call takes seconds, and the function's timeout is sized for one.
      agent.addEventSource(new SqsEventSource(this.turnsQueue, { batchSize: 1, reportBatchItemFailures: true }));
      // Only the conversation items (pk CONV#…): memory and answered turns.
      agent.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
          resources: [this.table.tableArn],
          conditions: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["CONV#*"] } },
        }),
      );
      this.repliesQueue.grant(agent, "sqs:SendMessage");
      this.turnsDlq.grant(agent, "sqs:SendMessage");
      const keyResources = config.accounts.flatMap((account) => {
        const secret = this.agentApiKeySecrets[account.id];
        const key = agentApiKey(account);
        return secret && key ? secretPolicyResources(key, secret) : [];
      });
      // Twilio tokens for MMS media, API keys for the model endpoints.
      grantSecretValues(agent, [...tokenResources, ...keyResources]);
      grantBedrockModels(agent, config);
    }

    this.observability = new ChannelObservability(this, "Observability", {
      functions: { ...this.functions },
      api: this.api,
      queues: {
        turns: this.turnsQueue,
        turnsDlq: this.turnsDlq,
        replies: this.repliesQueue,
        repliesDlq: this.repliesDlq,
      },
      accounts: enabled.map((account) => account.id),
      ...(config.monitoring?.alarmEmail ? { alarmEmail: config.monitoring.alarmEmail } : {}),
      ...(props.alarmThresholds ? { thresholds: props.alarmThresholds } : {}),
    });
    // Each new pairing request is published to the same topic the alarms notify.
    inbound.addEnvironment("SMS_NOTIFY_TOPIC_ARN", this.observability.topic.topicArn);
    this.observability.topic.grantPublish(inbound);

    addSmsChannelNagSuppressions(this);
  }

  private grantTable(fn: lambda.Function, ...actions: string[]): void {
    this.table.grant(fn, ...actions.map((action) => `dynamodb:${action}`));
  }
}

/** The API key an account's OpenAI-compatible agent is configured with, if any. */
function agentApiKey(account: ResolvedAccount) {
  return account.agent.kind === "openai" ? account.agent.apiKey : undefined;
}
