/**
 * The resources `bedrock:InvokeModel` must name for one configured `modelId`, with no wildcard: a foundation model
 * in the Region called; an inference profile plus the foundation model in every Region the profile routes to
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/geographic-cross-region-inference.html); an ARN as given.
 * The destination Regions per profile prefix follow AWS's published routing
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html); a Region listed that a
 * profile never uses only grants a call that cannot happen.
 */
const PROFILE_REGIONS: Readonly<Record<string, readonly string[]>> = {
  us: ["us-east-1", "us-east-2", "us-west-1", "us-west-2"],
  "us-gov": ["us-gov-east-1", "us-gov-west-1"],
  ca: ["ca-central-1", "ca-west-1"],
  eu: ["eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3"],
  apac: [
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-4",
  ],
  jp: ["ap-northeast-1", "ap-northeast-3"],
  au: ["ap-southeast-2", "ap-southeast-4"],
};

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

/** `us.anthropic.…`, `eu.…`, `global.…`: a system-defined cross-Region inference profile. */
function isProfileId(modelId: string): boolean {
  const prefix = modelId.split(".")[0] ?? "";
  return prefix === "global" || prefix in PROFILE_REGIONS;
}
