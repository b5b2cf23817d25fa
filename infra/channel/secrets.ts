import type { RemovalPolicy } from "aws-cdk-lib";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import type { SecretRef } from "../../lib/config/secret-ref.ts";
import type { InlineSecret } from "../../lib/config/types.ts";

/**
 * A secret a function reads: the configured existing one (`{ source: "aws", id }`), or a new one holding a random
 * placeholder (never the configured value: an inline or env secret must not reach the template) that the operator
 * replaces after the first deploy.
 */
export function channelSecret(
  scope: Construct,
  id: string,
  configured: SecretRef | InlineSecret,
  description: string,
  removalPolicy: RemovalPolicy,
): secretsmanager.ISecret {
  if (configured.source === "aws") {
    if (!configured.id.startsWith("arn:")) return secretsmanager.Secret.fromSecretNameV2(scope, id, configured.id);
    return hasRandomSuffix(configured.id)
      ? secretsmanager.Secret.fromSecretCompleteArn(scope, id, configured.id)
      : secretsmanager.Secret.fromSecretPartialArn(scope, id, configured.id);
  }
  return new secretsmanager.Secret(scope, id, {
    description,
    generateSecretString: { passwordLength: 32, excludePunctuation: true },
    removalPolicy,
  });
}

/** IAM resources matching exactly the secret a value is read from. */
export function secretPolicyResources(configured: SecretRef | InlineSecret, secret: secretsmanager.ISecret): string[] {
  if (configured.source !== "aws") return [secret.secretArn];
  // A name or partial ARN matches a real secret only with Secrets Manager's "-" + six random characters. An ARN that
  // seems to end in that suffix may still be partial (a name ending in "-abcdef"), so it gets both forms.
  if (configured.id.startsWith("arn:")) return [configured.id, `${configured.id}-??????`];
  return [`${secret.secretArn}-??????`];
}

/** What GetSecretValue is called with at run time: the configured name/ARN, or the created secret's ARN. */
export function secretIdForRuntime(configured: SecretRef | InlineSecret, secret: secretsmanager.ISecret): string {
  return configured.source === "aws" ? configured.id : secret.secretArn;
}

/** A complete secret ARN ends in "-" plus the six random characters Secrets Manager appends to the name. */
function hasRandomSuffix(arn: string): boolean {
  return /:secret:.+-[A-Za-z0-9]{6}$/.test(arn);
}
