import { basename } from "node:path";
import { AssetHashType, Duration, RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import { agentTimeoutSeconds } from "../../lib/config/turn-timing.ts";
import type { ResolvedConfig } from "../../lib/config/types.ts";
import { bundleFunction } from "../bundle.ts";
import type { FunctionName } from "../bundle-options.ts";

export interface FunctionSizing {
  memorySize: number;
  timeout: Duration;
  description: string;
}

export const FUNCTION_SIZING: Record<Exclude<FunctionName, "agent">, FunctionSizing> = {
  inbound: { memorySize: 512, timeout: Duration.seconds(10), description: "Twilio SMS webhook: verify, gate, enqueue" },
  outbound: { memorySize: 512, timeout: Duration.seconds(60), description: "Replies queue to Twilio Messages API" },
  admin: { memorySize: 256, timeout: Duration.seconds(30), description: "Operator API for smsctl (IAM-signed)" },
};

/** 512 MB: five 3.75 MB images, base64-encoded into one request, stay far below it. */
export function agentSizing(config: ResolvedConfig): FunctionSizing {
  return {
    memorySize: 512,
    timeout: Duration.seconds(agentTimeoutSeconds(config)),
    description: "Agent: turns to the configured model (or echo), answers to the replies queue",
  };
}

export interface FunctionInput {
  name: FunctionName;
  sizing: FunctionSizing;
  runtimeConfigJson: string;
  environment: Record<string, string>;
  logRetention: logs.RetentionDays;
  /** `monitoring.tracing`: active X-Ray tracing and the tracer in the bundle; off, neither. */
  tracing: boolean;
}

/** A bundled Node 22 / arm64 function with its own role, which may write only to its own log group. */
export function channelFunction(scope: Construct, input: FunctionInput): lambda.Function {
  const id = constructIdFor(input.name);
  const logGroup = channelLogGroup(scope, `${id}Logs`, input.logRetention);
  // Own role instead of AWSLambdaBasicExecutionRole: it may write only to this function's log group.
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
    description: `sms-channel ${input.name} function`,
  });
  logGroup.grantWrite(role);
  return new lambda.Function(scope, id, {
    description: input.sizing.description,
    code: bundledCode(input),
    handler: "index.handler",
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: input.sizing.memorySize,
    timeout: input.sizing.timeout,
    role,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    // Traced, an error escaping a handler keeps its flag and cause in the trace but not its message, which could
    // quote a caller's input.
    environment: input.tracing ? { ...input.environment, POWERTOOLS_TRACER_CAPTURE_ERROR: "false" } : input.environment,
    // ACTIVE also grants xray:PutTraceSegments and xray:PutTelemetryRecords (infra/nag-suppressions.ts says why "*").
    ...(input.tracing ? { tracing: lambda.Tracing.ACTIVE } : {}),
  });
}

export function channelLogGroup(scope: Construct, id: string, retention: logs.RetentionDays): logs.LogGroup {
  return new logs.LogGroup(scope, id, { retention, removalPolicy: RemovalPolicy.DESTROY });
}

export function grantSecretValues(fn: lambda.Function, resources: string[]): void {
  if (resources.length === 0) return;
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ["secretsmanager:GetSecretValue"], resources }));
}

function constructIdFor(name: FunctionName): string {
  return name
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

/** The bundle directory is named by a hash of its content, so CDK need not hash 20 MB again at every synth. */
function bundledCode(input: FunctionInput): lambda.Code {
  const dir = bundleFunction(input.name, input.runtimeConfigJson, { tracing: input.tracing });
  return lambda.Code.fromAsset(dir, { assetHashType: AssetHashType.CUSTOM, assetHash: basename(dir) });
}
