import { basename } from "node:path";
import { AssetHashType, Aws, Duration, Fn, RemovalPolicy, Stack } from "aws-cdk-lib";
import * as apigateway from "aws-cdk-lib/aws-apigateway";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import * as logs from "aws-cdk-lib/aws-logs";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { ConfigError } from "../lib/config/config-error.ts";
import { DEFAULT_ACCOUNT_ID } from "../lib/config/policy.ts";
import { toRuntimeConfig } from "../lib/config/runtime.ts";
import type { ResolvedAccount, ResolvedConfig } from "../lib/config/types.ts";
import { bundleFunction } from "./bundle.ts";
import type { FunctionName } from "./bundle-options.ts";
import { addSmsChannelNagSuppressions } from "./nag-suppressions.ts";

export interface SmsChannelProps {
  /** Validated channel config (resolveConfig / loadConfig); inline tokens in it never reach the template. */
  config: ResolvedConfig;
  /** API Gateway stage, the first segment of every webhook path. Default "prod". */
  stageName?: string;
  /** Deploy the built-in echo agent as the turns consumer. Default true. */
  echoAgent?: boolean;
  /** Retention of every log group. Default one month. */
  logRetention?: logs.RetentionDays;
  /** What happens to the table and the auth-token secrets when the stack goes away. Default RETAIN. */
  removalPolicy?: RemovalPolicy;
  /**
   * Also register the region's API Gateway CloudWatch role (an account-wide setting, kept when the stack goes). A
   * REST stage cannot write access logs until some stack or person has set it once per account and region, so a
   * first deploy into a fresh account needs this. Default false: the stack leaves account settings alone.
   */
  apiGatewayLogRole?: boolean;
}

export interface SmsChannelFunctions {
  inbound: lambda.Function;
  outbound: lambda.Function;
  admin: lambda.Function;
  echoAgent?: lambda.Function;
}

/** `SecretRef.provider` meaning: "the secret ARN is in SMS_AUTH_TOKEN_SECRET_ARNS under this account id". */
export const STACK_SECRET_PROVIDER = "stack";

const FUNCTION_SIZING: Record<FunctionName, { memorySize: number; timeout: Duration; description: string }> = {
  inbound: { memorySize: 512, timeout: Duration.seconds(10), description: "Twilio SMS webhook: verify, gate, enqueue" },
  outbound: { memorySize: 512, timeout: Duration.seconds(60), description: "Replies queue to Twilio Messages API" },
  admin: { memorySize: 256, timeout: Duration.seconds(30), description: "Operator API for smsctl (IAM-signed)" },
  "echo-agent": {
    memorySize: 256,
    timeout: Duration.seconds(30),
    description: "Built-in echo agent: turns to replies",
  },
};

/** Turns go to their DLQ after this many receives (the echo agent has no retry logic of its own). */
const TURNS_MAX_RECEIVE_COUNT = 5;
/** Failed Twilio attempts after which the outbound function parks a reply in the DLQ itself, with its reason. */
const OUTBOUND_MAX_ATTEMPTS = 5;
/**
 * The redrive is only the backstop for crashes. A reply behind a failing one in its FIFO group is received (and
 * handed back unprocessed) once per failure of the one ahead, so receives run ahead of attempts: 100 receives lets
 * about 20 replies queued to one recipient wait out an outage before SQS's own redrive (which records no reason).
 */
const REPLIES_MAX_RECEIVE_COUNT = 100;
/** AWS's advice for SQS event sources: visibility at least six times the consumer's timeout. */
const VISIBILITY_PER_TIMEOUT = 6;

/**
 * The whole SMS channel on AWS: webhook API, inbound/outbound/admin (and optionally echo-agent) functions, the
 * state table, the turns and replies FIFO queues with their DLQs, and one Secrets Manager secret per account.
 *
 * Auth tokens: the bundled runtime-config.json cannot hold CloudFormation tokens, so each account's token is
 * written there as `{ source: "aws", provider: "stack", id: <accountId> }` and the functions look the secret up in
 * the `SMS_AUTH_TOKEN_SECRET_ARNS` environment variable (JSON: accountId -> secret ARN, or the name/ARN configured
 * for an imported secret; either is a valid GetSecretValue SecretId).
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
  /** `https://<api>.execute-api.<region>.<suffix>/<stage>`, built from the RestApi id alone (no Stage dependency). */
  readonly stageBaseUrl: string;

  private readonly logRetention: logs.RetentionDays;

  constructor(scope: Construct, id: string, props: SmsChannelProps) {
    super(scope, id);
    const { config } = props;
    const stageName = props.stageName ?? "prod";
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const enabled = config.accounts.filter((account) => account.enabled);
    const routes = webhookRoutes(enabled);

    this.table = new dynamodb.Table(this, "State", {
      partitionKey: { name: "pk", type: dynamodb.AttributeType.STRING },
      sortKey: { name: "sk", type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: "expiresAt",
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy,
    });

    [this.turnsQueue, this.turnsDlq] = this.fifoQueueWithDlq(
      "Turns",
      FUNCTION_SIZING["echo-agent"].timeout,
      TURNS_MAX_RECEIVE_COUNT,
    );
    [this.repliesQueue, this.repliesDlq] = this.fifoQueueWithDlq(
      "Replies",
      FUNCTION_SIZING.outbound.timeout,
      REPLIES_MAX_RECEIVE_COUNT,
    );

    this.authTokenSecrets = Object.fromEntries(
      config.accounts.map((account) => [account.id, this.authTokenSecret(account, removalPolicy)]),
    );
    const secretIds = Object.fromEntries(
      config.accounts.map((account) => [account.id, secretIdForRuntime(account, this.authTokenSecrets)]),
    );

    // The REST API exists before its methods, so functions can carry its id without waiting for the Stage.
    this.api = new apigateway.RestApi(this, "Api", {
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
        accessLogDestination: new apigateway.LogGroupLogDestination(this.logGroup("ApiAccessLogs")),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
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
      toRuntimeConfig(config, (account) => ({ source: "aws", provider: STACK_SECRET_PROVIDER, id: account.id })),
      null,
      2,
    );
    const environment: Record<string, string> = {
      SMS_RUNTIME_CONFIG_FILE: "/var/task/runtime-config.json",
      SMS_TABLE_NAME: this.table.tableName,
      SMS_TURNS_QUEUE_URL: this.turnsQueue.queueUrl,
      SMS_REPLIES_QUEUE_URL: this.repliesQueue.queueUrl,
      SMS_AUTH_TOKEN_SECRET_ARNS: Stack.of(this).toJsonString(secretIds),
      SMS_WEBHOOK_BASE_URL: this.stageBaseUrl,
      POWERTOOLS_SERVICE_NAME: "sms-channel",
      POWERTOOLS_LOG_LEVEL: "INFO",
      NODE_OPTIONS: "--enable-source-maps",
    };
    const make = (name: FunctionName, extra: Record<string, string> = {}) =>
      this.function(name, runtimeConfigJson, { ...environment, ...extra });

    const inbound = make("inbound");
    const outbound = make("outbound", {
      SMS_REPLIES_DLQ_URL: this.repliesDlq.queueUrl,
      SMS_MAX_ATTEMPTS: String(OUTBOUND_MAX_ATTEMPTS),
    });
    const admin = make("admin", {
      SMS_TURNS_DLQ_URL: this.turnsDlq.queueUrl,
      SMS_REPLIES_DLQ_URL: this.repliesDlq.queueUrl,
    });
    const echoAgent = props.echoAgent === false ? undefined : make("echo-agent");
    this.functions = { inbound, outbound, admin, ...(echoAgent ? { echoAgent } : {}) };

    const integration = new apigateway.LambdaIntegration(inbound, { allowTestInvoke: false });
    for (const route of routes) {
      const resource = route.segments.length === 0 ? this.api.root : this.api.root.resourceForPath(route.path);
      resource.addMethod("POST", integration);
    }
    this.webhookUrls = Object.fromEntries(
      enabled.map((account) => [account.id, account.publicWebhookUrl ?? `${this.stageBaseUrl}${account.webhookPath}`]),
    );

    this.adminUrl = admin.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM }).url;

    const secretResources = config.accounts.flatMap((account) => secretPolicyResources(account, this.authTokenSecrets));
    // Exactly the calls each function makes (lib/store/*): every write is a conditional UpdateItem.
    this.grantTable(inbound, "GetItem", "UpdateItem", "DeleteItem"); // DeleteItem: START clears an opt-out item
    this.grantTable(outbound, "BatchGetItem", "UpdateItem");
    this.grantTable(admin, "GetItem", "UpdateItem", "Query"); // Query: status counts an account's opt-outs
    this.turnsQueue.grant(inbound, "sqs:SendMessage");
    this.repliesQueue.grant(inbound, "sqs:SendMessage");
    this.repliesQueue.grant(admin, "sqs:SendMessage");
    this.repliesDlq.grant(outbound, "sqs:SendMessage");
    // `smsctl status` shows how many messages wait in each DLQ.
    this.turnsDlq.grant(admin, "sqs:GetQueueAttributes");
    this.repliesDlq.grant(admin, "sqs:GetQueueAttributes");
    for (const fn of [inbound, outbound, admin]) grantSecretValues(fn, secretResources);

    // The event sources also grant the consumer's receive/delete/visibility permissions on their queue.
    const batch = { batchSize: 10, reportBatchItemFailures: true };
    outbound.addEventSource(new SqsEventSource(this.repliesQueue, batch));
    if (echoAgent) {
      echoAgent.addEventSource(new SqsEventSource(this.turnsQueue, batch));
      this.repliesQueue.grant(echoAgent, "sqs:SendMessage");
    }

    addSmsChannelNagSuppressions(this);
  }

  private fifoQueueWithDlq(name: string, consumerTimeout: Duration, maxReceiveCount: number): [sqs.Queue, sqs.Queue] {
    const common = { fifo: true, encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true } as const;
    const dlq = new sqs.Queue(this, `${name}Dlq`, { ...common, retentionPeriod: Duration.days(14) });
    const queue = new sqs.Queue(this, name, {
      ...common,
      // Producers send explicit MessageDeduplicationIds (MessageSid, replyId), so body hashing would only hide bugs.
      contentBasedDeduplication: false,
      deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      visibilityTimeout: Duration.seconds(consumerTimeout.toSeconds() * VISIBILITY_PER_TIMEOUT),
      deadLetterQueue: { queue: dlq, maxReceiveCount },
    });
    return [queue, dlq];
  }

  /** A new secret holding a random placeholder (never the configured token), or the configured existing one. */
  private authTokenSecret(account: ResolvedAccount, removalPolicy: RemovalPolicy): secretsmanager.ISecret {
    const id = `AuthToken-${account.id}`;
    const token = account.authToken;
    if (token.source === "aws") {
      if (!token.id.startsWith("arn:")) return secretsmanager.Secret.fromSecretNameV2(this, id, token.id);
      return hasRandomSuffix(token.id)
        ? secretsmanager.Secret.fromSecretCompleteArn(this, id, token.id)
        : secretsmanager.Secret.fromSecretPartialArn(this, id, token.id);
    }
    return new secretsmanager.Secret(this, id, {
      description:
        `Twilio auth token for SMS account "${account.id}" (${account.accountSid}). ` +
        "Replace the generated placeholder with the token from the Twilio console.",
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
      removalPolicy,
    });
  }

  private function(name: FunctionName, runtimeConfigJson: string, environment: Record<string, string>) {
    const id = constructIdFor(name);
    const sizing = FUNCTION_SIZING[name];
    const logGroup = this.logGroup(`${id}Logs`);
    // Own role instead of AWSLambdaBasicExecutionRole: it may write only to this function's log group.
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `sms-channel ${name} function`,
    });
    logGroup.grantWrite(role);
    return new lambda.Function(this, id, {
      description: sizing.description,
      code: bundledCode(name, runtimeConfigJson),
      handler: "index.handler",
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: sizing.memorySize,
      timeout: sizing.timeout,
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment,
    });
  }

  private logGroup(id: string): logs.LogGroup {
    return new logs.LogGroup(this, id, { retention: this.logRetention, removalPolicy: RemovalPolicy.DESTROY });
  }

  private grantTable(fn: lambda.Function, ...actions: string[]): void {
    this.table.grant(fn, ...actions.map((action) => `dynamodb:${action}`));
  }
}

function grantSecretValues(fn: lambda.Function, resources: string[]): void {
  if (resources.length === 0) return;
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ["secretsmanager:GetSecretValue"], resources }));
}

/** IAM resources matching exactly the secret an account's token is read from. */
function secretPolicyResources(account: ResolvedAccount, secrets: Record<string, secretsmanager.ISecret>): string[] {
  const token = account.authToken;
  const secret = secrets[account.id];
  if (!secret) throw new Error(`no auth token secret for account ${account.id}`);
  if (token.source !== "aws") return [secret.secretArn];
  // A name or partial ARN matches a real secret only with Secrets Manager's "-" + six random characters. An ARN that
  // seems to end in that suffix may still be partial (a name ending in "-abcdef"), so it gets both forms.
  if (token.id.startsWith("arn:")) return [token.id, `${token.id}-??????`];
  return [`${secret.secretArn}-??????`];
}

function secretIdForRuntime(account: ResolvedAccount, secrets: Record<string, secretsmanager.ISecret>): string {
  if (account.authToken.source === "aws") return account.authToken.id;
  const secret = secrets[account.id];
  if (!secret) throw new Error(`no auth token secret for account ${account.id}`);
  return secret.secretArn;
}

/** A complete secret ARN ends in "-" plus the six random characters Secrets Manager appends to the name. */
function hasRandomSuffix(arn: string): boolean {
  return /:secret:.+-[A-Za-z0-9]{6}$/.test(arn);
}

function constructIdFor(name: FunctionName): string {
  return name
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

interface WebhookRoute {
  accountId: string;
  path: string;
  segments: string[];
}

/** API Gateway accepts fewer path characters than the config does; say so in config terms, not CDK's. */
function webhookRoutes(enabled: ResolvedAccount[]): WebhookRoute[] {
  if (enabled.length === 0) {
    throw new ConfigError([
      { path: "channels.sms.enabled", message: "at least one account must be enabled to deploy" },
    ]);
  }
  const issues: ConfigError["issues"] = [];
  const seen = new Map<string, string>();
  const routes: WebhookRoute[] = [];
  for (const account of enabled) {
    const key = `${accountKeyPath(account.id)}.webhookPath`;
    const segments = account.webhookPath.split("/").filter((segment) => segment !== "");
    const path = `/${segments.join("/")}`;
    const bad = segments.find((segment) => !/^[A-Za-z0-9._-]+$/.test(segment));
    const owner = seen.get(path);
    if (bad !== undefined) {
      issues.push({ path: key, message: `API Gateway paths allow only letters, digits, . _ - (got "${bad}")` });
    } else if (owner !== undefined) {
      issues.push({ path: key, message: `"${account.webhookPath}" is the same API route as account "${owner}"` });
    } else {
      seen.set(path, account.id);
      routes.push({ accountId: account.id, path, segments });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return routes;
}

function accountKeyPath(accountId: string): string {
  return accountId === DEFAULT_ACCOUNT_ID ? "channels.sms" : `channels.sms.accounts.${accountId}`;
}

/** The bundle directory is named by a hash of its content, so CDK need not hash 20 MB again at every synth. */
function bundledCode(name: FunctionName, runtimeConfigJson: string): lambda.Code {
  const dir = bundleFunction(name, runtimeConfigJson);
  return lambda.Code.fromAsset(dir, { assetHashType: AssetHashType.CUSTOM, assetHash: basename(dir) });
}
