import { Aws } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type { ResolvedConfig } from "../../lib/config/types.ts";
import { bedrockInvokeResources } from "./bedrock-resources.ts";

/** `bedrock:InvokeModel` on exactly the models (and profiles) the Bedrock accounts name; nothing when there are none. */
export function grantBedrockModels(fn: lambda.Function, config: ResolvedConfig): void {
  const resources = new Set<string>();
  for (const account of config.accounts) {
    if (account.agent.kind !== "bedrock") continue;
    const context = { partition: Aws.PARTITION, account: Aws.ACCOUNT_ID, region: account.agent.region ?? Aws.REGION };
    for (const resource of bedrockInvokeResources(account.agent.modelId, context)) resources.add(resource);
  }
  if (resources.size === 0) return;
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ["bedrock:InvokeModel"], resources: [...resources] }));
}
