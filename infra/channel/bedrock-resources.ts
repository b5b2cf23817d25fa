import { PROFILE_REGIONS, profilePrefix } from "../../lib/config/bedrock-profiles.ts";

/**
 * The resources `bedrock:InvokeModel` must name for one configured `modelId`, with no wildcard: a foundation model
 * in the Region called; an inference profile plus the foundation model in every Region the profile routes to
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/geographic-cross-region-inference.html); an ARN as given.
 * The destination Regions per profile prefix follow AWS's published routing
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html); a Region listed that a
 * profile never uses only grants a call that cannot happen.
 */

export interface BedrockArnContext {
  partition: string;
  account: string;
  /** The Region requests go to: the agent's `region`, else the stack's. */
  region: string;
}

export function bedrockInvokeResources(modelId: string, context: BedrockArnContext): string[] {
  const { partition, account, region } = context;
  const foundationModel = (id: string, inRegion: string) =>
    `arn:${partition}:bedrock:${inRegion}::foundation-model/${id}`;
  const routedModels = (profileId: string) => {
    const [prefix, ...rest] = profileId.split(".");
    const base = rest.join(".");
    if (prefix === "global") {
      // Global profiles route to any commercial Region; AWS's policy names the model without a Region.
      return [foundationModel(base, region), `arn:${partition}:bedrock:::foundation-model/${base}`];
    }
    return (PROFILE_REGIONS[prefix ?? ""] ?? [region]).map((inRegion) => foundationModel(base, inRegion));
  };

  if (modelId.startsWith("arn:")) {
    const profile = /:inference-profile\/(.+)$/.exec(modelId)?.[1];
    return profile ? [modelId, ...routedModels(profile)] : [modelId];
  }
  if (isProfileId(modelId)) {
    return [`arn:${partition}:bedrock:${region}:${account}:inference-profile/${modelId}`, ...routedModels(modelId)];
  }
  return [foundationModel(modelId, region)];
}

function isProfileId(modelId: string): boolean {
  return profilePrefix(modelId) !== undefined;
}
