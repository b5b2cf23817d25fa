/**
 * Bedrock's system-defined cross-Region inference profiles (`us.anthropic.…`, `eu.…`, `global.…`) and the Regions
 * each geography routes to, following AWS's published routing
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html). The stack grants the
 * foundation model in each of them; the config checks that a profile is called from one of them.
 */
export const PROFILE_REGIONS: Readonly<Record<string, readonly string[]>> = {
  us: ["us-east-1", "us-east-2", "us-west-1", "us-west-2"],
  "us-gov": ["us-gov-east-1", "us-gov-west-1"],
  ca: ["ca-central-1", "ca-west-1"],
  eu: ["eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3"],
  apac: [
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "me-central-1",
  ],
  jp: ["ap-northeast-1", "ap-northeast-3"],
  au: ["ap-southeast-2", "ap-southeast-4"],
};

/** The geography prefix of a system-defined inference profile id (`global` included), if `modelId` is one. */
export function profilePrefix(modelId: string): string | undefined {
  const prefix = modelId.split(".")[0] ?? "";
  return prefix === "global" || Object.hasOwn(PROFILE_REGIONS, prefix) ? prefix : undefined;
}
