import { Validations } from "aws-cdk-lib";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { IConstruct } from "constructs";
import type { SmsChannel } from "./sms-channel.ts";

/**
 * cdk-nag (AwsSolutions) findings this design accepts, each on the narrowest construct that raises it and with the
 * reason an auditor needs. They travel with the construct, so an app that embeds SmsChannel and runs cdk-nag sees
 * the same reasoning. Everything else cdk-nag asks for (PITR, SSE, TLS-only queues, DLQs, access logs, no managed
 * policies, no wildcard permissions) is built in rather than acknowledged.
 */
export function addSmsChannelNagSuppressions(channel: SmsChannel): void {
  const { api } = channel;

  acknowledge(channel.observability.topic, {
    "AwsSolutions-SNS2":
      "The topic carries alarm names and metric values, and pairing-request notices (a masked number and a " +
      "one-hour pairing code that only the owner's approval makes useful). CloudWatch cannot publish to a topic " +
      "encrypted with the AWS-managed SNS key, and a customer-managed key would add a monthly charge.",
  });

  acknowledge(api, {
    "AwsSolutions-APIG2":
      "Twilio posts form-encoded bodies; the inbound function parses and validates them and verifies " +
      "X-Twilio-Signature. A gateway validator could only reject with 400 where an unsigned request must get 403, " +
      "and would break accounts that set dangerouslyDisableSignatureValidation.",
  });
  acknowledge(api.deploymentStage, {
    "AwsSolutions-APIG3":
      "WAF is optional: every request is authenticated by its Twilio signature and the stage is throttled " +
      "(50 rps, burst 100). Attach a web ACL to the stage if your threat model needs one.",
    "AwsSolutions-APIG6":
      "Execution logs would add little: JSON access logs record every request, and the inbound function logs " +
      "each outcome with masked numbers. With data tracing they would write message bodies, which must stay " +
      "out of logs.",
  });
  const logRole = api.node.tryFindChild("CloudWatchRole");
  if (logRole) {
    acknowledge(logRole, {
      "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]":
        "Opt-in (apiGatewayLogRole): the role API Gateway itself assumes, account-wide, to write any stage's logs; " +
        "AWS's managed policy is the documented shape for it.",
    });
  }
  for (const method of api.methods) {
    acknowledge(method, {
      "AwsSolutions-APIG4":
        "Twilio webhooks cannot carry AWS or Cognito credentials; each request is authenticated in the inbound " +
        "function by its X-Twilio-Signature (HMAC-SHA1 with the account's auth token), and forgeries get 403.",
      "AwsSolutions-COG4":
        "No user pool can apply: the caller is Twilio, authenticated by X-Twilio-Signature in the inbound function.",
    });
  }

  for (const secret of Object.values(channel.authTokenSecrets)) {
    if (!(secret instanceof secretsmanager.Secret)) continue;
    acknowledge(secret, {
      "AwsSolutions-SMG4":
        "A Twilio auth token can only be rotated in the Twilio console (or its API, with the primary token); the " +
        "operator then writes the new value here. A Secrets Manager rotation Lambda cannot issue one.",
    });
  }

  for (const secret of Object.values(channel.agentApiKeySecrets)) {
    if (!(secret instanceof secretsmanager.Secret)) continue;
    acknowledge(secret, {
      "AwsSolutions-SMG4":
        "A model endpoint's API key (OpenAI, an OpenClaw gateway token ...) is issued by that service; the operator " +
        "rotates it there and writes the new value here. A Secrets Manager rotation Lambda cannot issue one.",
    });
  }

  for (const fn of Object.values(channel.functions)) {
    if (!fn) continue;
    acknowledge(fn, {
      "AwsSolutions-L1":
        "Pinned to nodejs22.x on purpose: the bundle is built and benchmarked for target node22 " +
        "(infra/bundle-options.ts). Move runtime and target together.",
    });
    const policy = fn.role?.node.tryFindChild("DefaultPolicy");
    if (channel.tracing && policy) {
      acknowledge(policy, {
        "AwsSolutions-IAM5[Resource::*]":
          "Opt-in (monitoring.tracing): the statement Lambda's active tracing adds, xray:PutTraceSegments and " +
          "xray:PutTelemetryRecords. X-Ray has no resource-level permissions for them, so * is the only resource.",
      });
    }
  }
}

function acknowledge(construct: IConstruct, reasons: Record<string, string>): void {
  for (const [id, reason] of Object.entries(reasons)) Validations.of(construct).acknowledge({ id, reason });
}
