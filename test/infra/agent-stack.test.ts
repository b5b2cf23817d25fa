import { describe, expect, it } from "vitest";
import { ACCOUNT_SID, logicalIdOf, smsConfig, synthStack } from "../support/synth.ts";

const ACCOUNT = { accountSid: ACCOUNT_SID, authToken: "inline-token-1234567890", fromNumber: "+15551234567" };
const INLINE_KEY = "sk-inline-key-never-in-the-template-0123";
const KEY_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai-key-AbC123";

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
type Json = Record<string, unknown>;

function agentOf(sms: Record<string, unknown>) {
  const result = synthStack(smsConfig(sms));
  const agent = result.stack.channel.functions.agent;
  if (!agent) throw new Error("no agent function");
  const resources = result.template.toJSON().Resources as Record<string, { Type: string; Properties: Json }>;
  const agentId = logicalIdOf(result, agent);
  const statements = Object.values(resources)
    .filter((resource) => resource.Type === "AWS::IAM::Policy")
    .filter((resource) =>
      JSON.stringify((resource.Properties as Json).Roles).includes(agentId.replace(/[0-9A-F]{8}$/, "")),
    )
    .flatMap((resource) => (resource.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  const props = resources[agentId]?.Properties as Json;
  return { result, agent, statements, props, resources };
}

const bedrockResources = (statements: Statement[]) =>
  statements
    .filter((statement) => statement.Action === "bedrock:InvokeModel")
    .flatMap((statement) => [statement.Resource].flat());

describe("the agent function", { timeout: 120_000 }, () => {
  it("keeps an inline API key out of the template: a placeholder secret, mapped for the function, with an output", () => {
    const { result, props, statements } = agentOf({
      ...ACCOUNT,
      agent: { kind: "openai", baseUrl: "https://api.openai.com/v1", model: "gpt-4o-mini", apiKey: INLINE_KEY },
    });
    expect(result.json).not.toContain(INLINE_KEY);
    const secret = result.stack.channel.agentApiKeySecrets.default;
    if (!secret) throw new Error("no key secret");
    const secretId = logicalIdOf(result, secret);
    const env = (props.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(env.SMS_AGENT_API_KEY_SECRET_ARNS)).toContain(secretId);
    const readable = statements.filter((statement) => statement.Action === "secretsmanager:GetSecretValue");
    expect(JSON.stringify(readable)).toContain(secretId);
    const outputs = result.template.toJSON().Outputs as Record<string, { Description: string }>;
    expect(outputs.AgentApiKeySecretArn?.Description).toContain("aws secretsmanager put-secret-value --secret-id");
    expect(bedrockResources(statements)).toEqual([]);
  });

  it("reads an existing key secret, creating none", () => {
    const { result } = agentOf({
      ...ACCOUNT,
      agent: {
        kind: "openai",
        baseUrl: "https://api.openai.com/v1",
        model: "m",
        apiKey: { source: "aws", id: KEY_ARN },
      },
    });
    result.template.resourceCountIs("AWS::SecretsManager::Secret", 1); // the auth token's only
    expect(result.json).toContain(KEY_ARN);
  });

  it("times out after one model call plus overhead, and the turns queue waits six times that", () => {
    const { result, props } = agentOf({
      ...ACCOUNT,
      agent: { kind: "openai", baseUrl: "http://127.0.0.1:11434/v1", model: "llama3.2", timeoutMs: 300_000 },
    });
    expect(props.Timeout).toBe(330);
    const turns = result.stack.channel.turnsQueue;
    const resources = result.template.toJSON().Resources as Record<string, { Properties: Json }>;
    expect(resources[logicalIdOf(result, turns)]?.Properties.VisibilityTimeout).toBe(1980);
  });

  it("may invoke exactly the configured Bedrock models: a model, a cross-Region profile and where it routes, an ARN", () => {
    const profileArn = "arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/abc123";
    const { statements } = agentOf({
      ...ACCOUNT,
      agent: { kind: "bedrock", modelId: "anthropic.claude-3-haiku-20240307-v1:0", region: "eu-west-1" },
      accounts: {
        profile: {
          fromNumber: "+15559990000",
          agent: { kind: "bedrock", modelId: "us.anthropic.claude-3-5-haiku-20241022-v1:0", region: "us-east-1" },
        },
        arn: { fromNumber: "+15558880000", agent: { kind: "bedrock", modelId: profileArn } },
      },
    });
    const resources = JSON.stringify(bedrockResources(statements));
    expect(resources).toContain("bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0");
    expect(resources).toContain("inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0");
    for (const region of ["us-east-1", "us-east-2", "us-west-2"]) {
      expect(resources).toContain(`bedrock:${region}::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0`);
    }
    expect(resources).toContain(profileArn);
    // No wildcard anywhere in a resource: not "*", not "foundation-model/*", not a Region or account left open.
    for (const statement of statements) {
      expect(
        JSON.stringify([statement.Resource].flat().filter((resource) => JSON.stringify(resource).includes("*"))),
      ).toBe("[]");
    }
  });

  it("may read and write only the conversation items of the table", () => {
    const { statements } = agentOf({ ...ACCOUNT, agent: { kind: "echo" } });
    const table = statements.filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith("dynamodb:")),
    );
    expect(table).toEqual([
      expect.objectContaining({
        Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
        Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["CONV#*"] } },
      }),
    ]);
  });

  it("one agent function answers every account, whatever its kind", () => {
    const { result } = agentOf({
      ...ACCOUNT,
      agent: { kind: "echo" },
      accounts: { ai: { fromNumber: "+15559990000", agent: { kind: "bedrock", modelId: "amazon.nova-lite-v1:0" } } },
    });
    result.template.resourceCountIs("AWS::Lambda::Function", 4);
  });
});
