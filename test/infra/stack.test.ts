import { App } from "aws-cdk-lib";
import { Match } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { SmsChannelStack } from "../../infra/stack.ts";
import { ConfigError } from "../../lib/config/config-error.ts";
import {
  ACCOUNT_SID,
  bundledRuntimeConfig,
  logicalIdOf,
  MESSAGING_SERVICE_SID,
  OTHER_ACCOUNT_SID,
  type SynthResult,
  smsConfig,
  synthStack,
} from "../support/synth.ts";

const INLINE_TOKEN = "inline-token-8f3a1c2e9d7b4a6f0c5e";
const IMPORTED_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:sms/billing-AbC123";
const SUPPORT_PUBLIC_URL = "https://sms.example.com/webhooks/sms/support";

/** Three accounts: default (inline token), support (inherits it, custom domain), billing (existing secret). */
const config = smsConfig({
  accountSid: ACCOUNT_SID,
  authToken: INLINE_TOKEN,
  fromNumber: "+15551234567",
  dmPolicy: "pairing",
  accounts: {
    support: { fromNumber: "+15551230000", publicWebhookUrl: SUPPORT_PUBLIC_URL },
    billing: {
      accountSid: OTHER_ACCOUNT_SID,
      authToken: { source: "aws", id: IMPORTED_SECRET_ARN },
      messagingServiceSid: MESSAGING_SERVICE_SID,
      webhookPath: "/hooks/billing",
    },
  },
});

type Json = Record<string, unknown>;

let result: SynthResult;
let resources: Record<string, { Type: string; Properties: Json }>;
const id = (construct: Parameters<typeof logicalIdOf>[1]) => logicalIdOf(result, construct);
const propsOf = (construct: Parameters<typeof logicalIdOf>[1]): Json => {
  const resource = resources[id(construct)];
  if (!resource) throw new Error(`no resource for ${construct.node.path}`);
  return resource.Properties;
};
const envOf = (construct: Parameters<typeof logicalIdOf>[1]) =>
  (propsOf(construct).Environment as { Variables: Record<string, unknown> }).Variables;

beforeAll(() => {
  result = synthStack(config);
  resources = result.template.toJSON().Resources;
});

describe("SmsChannelStack", () => {
  it("synthesizes exactly one stack", () => {
    expect(result.app.synth().stacks.map((stack) => stack.stackName)).toEqual(["SmsChannel"]);
  });

  it("routes POST on each enabled account's webhook path to the inbound function as a Lambda proxy", () => {
    const { channel } = result.stack;
    result.template.resourceCountIs("AWS::ApiGateway::RestApi", 1);
    const paths = Object.values(result.template.findResources("AWS::ApiGateway::Method")).map((method) => {
      const props = method.Properties as Json;
      expect(props).toMatchObject({
        HttpMethod: "POST",
        AuthorizationType: "NONE",
        Integration: { Type: "AWS_PROXY", IntegrationHttpMethod: "POST" },
      });
      expect(JSON.stringify(props.Integration)).toContain(
        JSON.stringify({ "Fn::GetAtt": [id(channel.functions.inbound), "Arn"] }),
      );
      return pathOfResource(props.ResourceId);
    });
    expect(paths.sort()).toEqual(["/hooks/billing", "/webhooks/sms", "/webhooks/sms/support"]);
    // Account-wide API Gateway settings stay untouched unless apiGatewayLogRole asks for them.
    result.template.resourceCountIs("AWS::ApiGateway::Account", 0);
  });

  it("deploys inbound, outbound, admin and the agent on Node 22 / arm64 with JSON logs and their sizes", () => {
    const { functions } = result.stack.channel;
    result.template.resourceCountIs("AWS::Lambda::Function", 4);
    const expected = [
      [functions.inbound, 512, 10],
      [functions.outbound, 512, 60],
      [functions.admin, 256, 30],
      [functions.agent, 512, 120],
    ] as const;
    for (const [fn, memory, timeout] of expected) {
      if (!fn) throw new Error("agent missing");
      expect(propsOf(fn)).toMatchObject({
        Runtime: "nodejs22.x",
        Architectures: ["arm64"],
        Handler: "index.handler",
        MemorySize: memory,
        Timeout: timeout,
        LoggingConfig: { LogFormat: "JSON" },
      });
    }
    // Four function log groups and the API access log, each with a retention.
    const logGroups = Object.values(result.template.findResources("AWS::Logs::LogGroup"));
    expect(logGroups).toHaveLength(5);
    for (const group of logGroups) expect((group.Properties as Json).RetentionInDays).toBe(30);
  });

  it("gives every function the runtime config file, table, queues, secret map and stage URL", () => {
    const { functions, repliesDlq } = result.stack.channel;
    for (const fn of [functions.inbound, functions.outbound, functions.admin, functions.agent]) {
      if (!fn) throw new Error("agent missing");
      expect(Object.keys(envOf(fn)).sort()).toEqual(
        expect.arrayContaining([
          "NODE_OPTIONS",
          "POWERTOOLS_LOG_LEVEL",
          "POWERTOOLS_SERVICE_NAME",
          "SMS_AUTH_TOKEN_SECRET_ARNS",
          "SMS_REPLIES_QUEUE_URL",
          "SMS_RUNTIME_CONFIG_FILE",
          "SMS_TABLE_NAME",
          "SMS_TURNS_QUEUE_URL",
          "SMS_WEBHOOK_BASE_URL",
        ]),
      );
      expect(envOf(fn)).toMatchObject({
        SMS_RUNTIME_CONFIG_FILE: "/var/task/runtime-config.json",
        POWERTOOLS_SERVICE_NAME: "sms-channel",
        POWERTOOLS_LOG_LEVEL: "INFO",
        NODE_OPTIONS: "--enable-source-maps",
      });
    }
    expect(envOf(functions.outbound)).toMatchObject({
      SMS_REPLIES_DLQ_URL: { Ref: id(repliesDlq) },
      SMS_MAX_ATTEMPTS: "5",
    });
    expect(envOf(functions.admin)).toMatchObject({
      SMS_TURNS_DLQ_URL: { Ref: id(result.stack.channel.turnsDlq) },
      SMS_REPLIES_DLQ_URL: { Ref: id(repliesDlq) },
    });
  });

  it("builds SMS_WEBHOOK_BASE_URL from the RestApi id alone, never the Stage or Deployment", () => {
    const { api, functions } = result.stack.channel;
    const baseUrl = JSON.stringify(envOf(functions.inbound).SMS_WEBHOOK_BASE_URL);
    expect(baseUrl).toContain(JSON.stringify({ Ref: id(api) }));
    expect(baseUrl).toContain("/prod");
    expect(baseUrl).not.toContain(id(api.deploymentStage));
    expect(baseUrl).not.toContain(id(api.latestDeployment ?? api));
    expect(baseUrl).not.toMatch(/Stage|Deployment/);
  });

  it("makes turns and replies FIFO queues with FIFO DLQs, explicit dedupe and redrive", () => {
    const { turnsQueue, turnsDlq, repliesQueue, repliesDlq } = result.stack.channel;
    result.template.resourceCountIs("AWS::SQS::Queue", 4);
    const common = {
      FifoQueue: true,
      ContentBasedDeduplication: false,
      DeduplicationScope: "messageGroup",
      FifoThroughputLimit: "perMessageGroupId",
      SqsManagedSseEnabled: true,
    };
    expect(propsOf(turnsQueue)).toMatchObject({
      ...common,
      VisibilityTimeout: 720,
      RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": [id(turnsDlq), "Arn"] }, maxReceiveCount: 10 },
    });
    expect(propsOf(repliesQueue)).toMatchObject({
      ...common,
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": [id(repliesDlq), "Arn"] }, maxReceiveCount: 100 },
    });
    for (const dlq of [turnsDlq, repliesDlq]) {
      expect(propsOf(dlq)).toMatchObject({
        FifoQueue: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
        SqsManagedSseEnabled: true,
      });
    }
    // enforceSSL: each queue policy denies requests without TLS.
    const policies = Object.values(result.template.findResources("AWS::SQS::QueuePolicy"));
    expect(policies).toHaveLength(4);
    for (const policy of policies) {
      expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it("feeds replies to outbound in batches and turns to the agent one by one, with partial failures", () => {
    const { functions, repliesQueue, turnsQueue } = result.stack.channel;
    const mappings = Object.values(result.template.findResources("AWS::Lambda::EventSourceMapping")).map(
      (mapping) => mapping.Properties as Json,
    );
    expect(mappings).toHaveLength(2);
    const byQueue = (queue: typeof repliesQueue) =>
      mappings.find((mapping) => JSON.stringify(mapping.EventSourceArn).includes(id(queue)));
    for (const [queue, fn, batchSize] of [
      [repliesQueue, functions.outbound, 10],
      [turnsQueue, functions.agent, 1],
    ] as const) {
      if (!fn) throw new Error("agent missing");
      expect(byQueue(queue)).toMatchObject({
        FunctionName: { Ref: id(fn) },
        BatchSize: batchSize,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      });
    }
    // Visibility at least six times the consumer's timeout: 6 x 120 s for the agent, 6 x 60 s for outbound.
    expect(propsOf(turnsQueue).VisibilityTimeout).toBe(720);
    expect(propsOf(repliesQueue).VisibilityTimeout).toBe(360);
  });

  it("keeps state in an on-demand table with PITR, TTL on expiresAt and AWS-managed encryption", () => {
    result.template.resourceCountIs("AWS::DynamoDB::Table", 1);
    result.template.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      Properties: {
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
        SSESpecification: { SSEEnabled: true },
      },
    });
  });

  it("creates a placeholder secret per account except the one that names an existing secret", () => {
    const { authTokenSecrets, functions } = result.stack.channel;
    const secretId = (account: string) => {
      const secret = authTokenSecrets[account];
      if (!secret) throw new Error(`no secret for ${account}`);
      return id(secret);
    };
    const secrets = result.template.findResources("AWS::SecretsManager::Secret");
    expect(Object.keys(secrets).sort()).toEqual([secretId("default"), secretId("support")].sort());
    for (const secret of Object.values(secrets)) {
      expect(secret).toMatchObject({
        DeletionPolicy: "Retain",
        Properties: {
          Description: expect.stringContaining("Twilio auth token"),
          GenerateSecretString: expect.anything(),
        },
      });
      expect((secret.Properties as Json).SecretString).toBeUndefined();
    }
    const secretMap = JSON.stringify(envOf(functions.inbound).SMS_AUTH_TOKEN_SECRET_ARNS);
    expect(secretMap).toContain(IMPORTED_SECRET_ARN);
    for (const account of ["default", "support"] as const) {
      expect(secretMap).toContain(JSON.stringify({ Ref: secretId(account) }));
    }
  });

  it("never puts the configured auth token into the template or the bundled runtime config", () => {
    expect(result.json).not.toContain(INLINE_TOKEN);
    const runtime = bundledRuntimeConfig(result, result.stack.channel.functions.inbound);
    expect(JSON.stringify(runtime)).not.toContain(INLINE_TOKEN);
    expect(runtime).toMatchObject({
      version: 1,
      defaultAccount: "default",
      accounts: ["default", "support", "billing"].map((account) => ({
        id: account,
        authToken: { source: "aws", provider: "stack", id: account },
      })),
    });
  });

  it("puts the admin function behind an IAM-authenticated Function URL", () => {
    result.template.resourceCountIs("AWS::Lambda::Url", 1);
    result.template.hasResourceProperties("AWS::Lambda::Url", {
      AuthType: "AWS_IAM",
      TargetFunctionArn: { "Fn::GetAtt": [id(result.stack.channel.functions.admin), "Arn"] },
    });
  });

  it("grants each function only named actions on its own resources", () => {
    const { functions } = result.stack.channel;
    const policies = Object.values(result.template.findResources("AWS::IAM::Policy")).map(
      (policy) => policy.Properties as { Roles: unknown[]; PolicyDocument: { Statement: Json[] } },
    );
    const statementsOf = (fn: Parameters<typeof logicalIdOf>[1]) => {
      const role = { Ref: (propsOf(fn).Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0] };
      const policy = policies.find((candidate) => JSON.stringify(candidate.Roles) === JSON.stringify([role]));
      if (!policy) throw new Error(`no policy for ${fn.node.path}`);
      return policy.PolicyDocument.Statement;
    };
    const actionsOf = (fn: Parameters<typeof logicalIdOf>[1]) =>
      [...new Set(statementsOf(fn).flatMap((statement) => [statement.Action].flat().map(String)))].sort();
    /** The queues a function may send to, by logical id. */
    const sendTargetsOf = (fn: Parameters<typeof logicalIdOf>[1]) =>
      statementsOf(fn)
        .filter((statement) => [statement.Action].flat().includes("sqs:SendMessage"))
        .flatMap((statement) => [statement.Resource].flat())
        .map((resource) => (resource as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0])
        .sort();

    for (const policy of policies) {
      for (const statement of policy.PolicyDocument.Statement) {
        expect([statement.Action].flat().filter((action) => String(action).includes("*"))).toEqual([]);
        expect([statement.Resource].flat()).not.toContain("*");
      }
    }
    result.template.resourcePropertiesCountIs("AWS::IAM::Role", { ManagedPolicyArns: Match.anyValue() }, 0);

    const logs = ["logs:CreateLogStream", "logs:PutLogEvents"];
    const consume = [
      "sqs:ChangeMessageVisibility",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
      "sqs:ReceiveMessage",
    ];
    const table = (...actions: string[]) => actions.map((action) => `dynamodb:${action}`);
    expect(actionsOf(functions.inbound)).toEqual(
      [
        ...logs,
        ...table("GetItem", "UpdateItem", "DeleteItem"),
        "sqs:SendMessage",
        "secretsmanager:GetSecretValue",
        "sns:Publish",
      ].sort(),
    );
    // Publishing only to the alarm topic (pairing requests).
    const publishTargets = statementsOf(functions.inbound)
      .filter((statement) => statement.Action === "sns:Publish")
      .map((statement) => statement.Resource);
    expect(publishTargets).toEqual([{ Ref: id(result.stack.channel.observability.topic) }]);
    expect(actionsOf(functions.outbound)).toEqual(
      [
        ...logs,
        ...table("BatchGetItem", "UpdateItem"),
        "sqs:SendMessage",
        ...consume,
        "secretsmanager:GetSecretValue",
      ].sort(),
    );
    expect(actionsOf(functions.admin)).toEqual(
      [
        ...logs,
        ...table("GetItem", "UpdateItem", "Query"),
        "sqs:SendMessage",
        "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage",
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "secretsmanager:GetSecretValue",
      ].sort(),
    );
    if (!functions.agent) throw new Error("agent missing");
    expect(actionsOf(functions.agent)).toEqual(
      [
        ...logs,
        ...consume,
        ...table("GetItem", "UpdateItem"),
        "sqs:SendMessage",
        "secretsmanager:GetSecretValue",
      ].sort(),
    );

    const { turnsQueue, repliesQueue, repliesDlq } = result.stack.channel;
    expect(sendTargetsOf(functions.inbound)).toEqual([id(turnsQueue), id(repliesQueue)].sort());
    expect(sendTargetsOf(functions.outbound)).toEqual([id(repliesDlq)]);
    expect(sendTargetsOf(functions.admin)).toEqual([id(turnsQueue), id(repliesQueue)].sort());
    // Reading and deleting: only the two dead-letter queues.
    const dlqTargets = statementsOf(functions.admin)
      .filter((statement) => [statement.Action].flat().includes("sqs:DeleteMessage"))
      .flatMap((statement) => [statement.Resource].flat())
      .map((resource) => (resource as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0])
      .sort();
    expect(dlqTargets).toEqual([id(result.stack.channel.turnsDlq), id(repliesDlq)].sort());
    expect(sendTargetsOf(functions.agent)).toEqual([id(repliesQueue), id(result.stack.channel.turnsDlq)].sort());
    const secretResources = JSON.stringify(
      statementsOf(functions.inbound).filter((statement) => statement.Action === "secretsmanager:GetSecretValue"),
    );
    expect(secretResources).toContain(IMPORTED_SECRET_ARN);
  });

  it("outputs webhook URLs, admin URL, queue URLs, table name and how to set each auth token", () => {
    const outputs = result.template.toJSON().Outputs as Record<string, { Value: unknown; Description?: string }>;
    expect(Object.keys(outputs).sort()).toEqual(
      [
        "AdminUrl",
        "AlarmTopicArn",
        "DashboardUrl",
        "AuthTokenSecretArn",
        "AuthTokenSecretArnBilling",
        "AuthTokenSecretArnSupport",
        "RepliesDlqUrl",
        "RepliesQueueUrl",
        "TableName",
        "TurnsDlqUrl",
        "TurnsQueueUrl",
        "WebhookUrl",
        "WebhookUrlBilling",
        "WebhookUrlSupport",
      ].sort(),
    );
    const { api } = result.stack.channel;
    const defaultUrl = JSON.stringify(outputs.WebhookUrl?.Value);
    expect(defaultUrl).toContain(JSON.stringify({ Ref: id(api) }));
    expect(defaultUrl).toContain("/prod/webhooks/sms");
    expect(JSON.stringify(outputs.WebhookUrlBilling?.Value)).toContain("/prod/hooks/billing");
    expect(outputs.WebhookUrlSupport?.Value).toBe(SUPPORT_PUBLIC_URL);
    expect(outputs.AuthTokenSecretArnBilling?.Value).toBe(IMPORTED_SECRET_ARN);
    for (const key of ["AuthTokenSecretArn", "AuthTokenSecretArnSupport", "AuthTokenSecretArnBilling"]) {
      expect(outputs[key]?.Description).toContain("aws secretsmanager put-secret-value --secret-id");
    }
    expect(outputs.AuthTokenSecretArnBilling?.Description).toContain(`--secret-id ${IMPORTED_SECRET_ARN} `);
  });
});

describe("SmsChannelStack when every account leaves its turns to your own consumer", () => {
  let bare: SynthResult;
  beforeAll(() => {
    bare = synthStack(
      smsConfig({
        accountSid: ACCOUNT_SID,
        authToken: { source: "env", id: "TWILIO_AUTH_TOKEN" },
        messagingServiceSid: MESSAGING_SERVICE_SID,
        agent: { kind: "queue" },
      }),
    );
  });

  it("deploys three functions and no consumer of the turns queue", () => {
    bare.template.resourceCountIs("AWS::Lambda::Function", 3);
    expect(bare.stack.channel.functions.agent).toBeUndefined();
    bare.template.resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
    bare.template.resourceCountIs("AWS::SQS::Queue", 4);
    bare.template.resourceCountIs("AWS::SecretsManager::Secret", 1);
  });
});

describe("SmsChannel config checks", () => {
  it("rejects a webhook path API Gateway cannot route, naming the config key", () => {
    const tilde = smsConfig({
      accountSid: ACCOUNT_SID,
      authToken: "t",
      fromNumber: "+15551234567",
      webhookPath: "/webhooks/~sms",
    });
    const build = () => new SmsChannelStack(new App(), "Bad", { config: tilde });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/channels\.sms\.webhookPath/);
  });
});

/** "/a/b" for an AWS::ApiGateway::Resource, following ParentId up to the RestApi root. */
function pathOfResource(ref: unknown): string {
  const parts: string[] = [];
  let current = ref;
  for (;;) {
    const logicalId = (current as { Ref?: string }).Ref;
    const resource = logicalId ? resources[logicalId] : undefined;
    if (resource?.Type !== "AWS::ApiGateway::Resource") break;
    parts.unshift(String(resource.Properties.PathPart));
    current = resource.Properties.ParentId;
  }
  return `/${parts.join("/")}`;
}
