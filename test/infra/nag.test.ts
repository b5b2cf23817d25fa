import { App, Validations } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { AwsSolutionsChecks } from "cdk-nag";
import { beforeAll, describe, expect, it } from "vitest";
import { SmsChannelStack } from "../../infra/stack.ts";
import {
  ACCOUNT_SID,
  MESSAGING_SERVICE_SID,
  OTHER_ACCOUNT_SID,
  type SynthResult,
  smsConfig,
  synthStack,
} from "../support/synth.ts";

/**
 * Every feature that adds resources: several accounts, created and imported secrets, the agent function with an
 * API key secret (OpenAI-compatible) and Bedrock permissions (a cross-Region profile), and the echo agent.
 */
const sms = {
  accountSid: ACCOUNT_SID,
  authToken: "nag-test-token",
  fromNumber: "+15551234567",
  accounts: {
    support: {
      fromNumber: "+15551230000",
      agent: { kind: "openai", baseUrl: "https://api.openai.com/v1", model: "gpt-4o-mini", apiKey: "sk-nag" },
    },
    billing: {
      accountSid: OTHER_ACCOUNT_SID,
      authToken: { source: "aws", id: "sms/billing/twilio-auth-token" },
      messagingServiceSid: MESSAGING_SERVICE_SID,
      agent: { kind: "bedrock", modelId: "eu.amazon.nova-lite-v1:0", region: "eu-west-1" },
    },
  },
};
const config = smsConfig(sms);

/** cdk-nag 3 reports through CDK policy validation, not annotations: run the pack on the tree directly. */
function findings(stack: SmsChannelStack): string[] {
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) => `${violation.severity} ${violation.ruleName} at ${resource.constructPath}`,
    ),
  );
}

describe("cdk-nag AwsSolutions", () => {
  let result: SynthResult;
  beforeAll(() => {
    result = synthStack(config);
  });

  it("leaves no unacknowledged error or warning", () => {
    expect(findings(result.stack)).toEqual([]);
  });

  it("stays clean with the opt-in API Gateway log role, which registers the account setting", () => {
    const stack = new SmsChannelStack(new App(), "WithLogRole", { config, apiGatewayLogRole: true });
    expect(findings(stack)).toEqual([]);
    const template = Template.fromStack(stack);
    template.resourceCountIs("AWS::ApiGateway::Account", 1);
    template.hasResource("AWS::IAM::Role", {
      DeletionPolicy: "Retain",
      Properties: { ManagedPolicyArns: Match.anyValue() },
    });
  });

  it("stays clean with tracing on, acknowledging only the wildcard resource X-Ray's actions need", () => {
    const traced = smsConfig({ ...sms, monitoring: { tracing: true } });
    const stack = new SmsChannelStack(new App(), "Traced", { config: traced });
    expect(findings(stack)).toEqual([]);
    const wildcardAcknowledged = stack.node
      .findAll()
      .filter((c) => c.node.metadata.some((entry) => JSON.stringify(entry.data).includes("IAM5[Resource::*]")))
      .map((c) => c.node.path);
    expect(wildcardAcknowledged.sort()).toEqual(
      ["Admin", "Agent", "Inbound", "Outbound"].map((fn) => `Traced/Channel/${fn}Role/DefaultPolicy`),
    );
    // Off (the stack above), nothing is acknowledged for it: a wildcard there would be a finding.
    expect(JSON.stringify(result.stack.node.findAll().map((c) => c.node.metadata))).not.toContain("IAM5");
  });

  it("still reports a finding the channel did not acknowledge", () => {
    const app = new App();
    const stack = new SmsChannelStack(app, "WithExtraQueue", { config });
    new sqs.Queue(stack, "Unrelated", { enforceSSL: true });
    expect(findings(stack)).toEqual(["error AwsSolutions-SQS3 at WithExtraQueue/Unrelated/Resource"]);
  });

  it("lets a full synth through with the pack registered as a validation plugin, as infra/app.ts does", () => {
    const app = new App();
    new SmsChannelStack(app, "Validated", { config });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });
});
