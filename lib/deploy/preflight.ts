import { envValue } from "../config/env-fallbacks.ts";
import { missingConfigFileMessage } from "../config/load.ts";

/*
 * What `npm run deploy` checks before CDK runs, so a newcomer reads one line per problem instead of CDK's
 * "Unable to resolve AWS account to use" after a long synth. It reads only local settings; whether the account
 * and region are bootstrapped is CDK's to say (it names `cdk bootstrap` itself).
 */

export interface PreflightInput {
  env: Readonly<Record<string, string | undefined>>;
  /** The text of the AWS config file (~/.aws/config or AWS_CONFIG_FILE), if there is one. */
  awsConfigFile?: string;
  /** The config file the app will deploy exists (SMS_CONFIG, default ./sms.config.json5). */
  configExists: boolean;
  configPath: string;
  /** Resolves credentials with the SDK's default chain; rejects when there are none. */
  credentials(): Promise<unknown>;
}

/** The region CDK will deploy to: AWS_REGION, AWS_DEFAULT_REGION, else the profile's `region`. */
export function deployRegion(env: PreflightInput["env"], awsConfigFile: string | undefined): string | undefined {
  const fromEnv = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  if (fromEnv) return fromEnv;
  const profile = env.AWS_PROFILE?.trim() || "default";
  const section = profile === "default" ? "default" : `profile ${profile}`;
  let inSection = false;
  for (const line of (awsConfigFile ?? "").split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line)?.[1];
    if (header !== undefined) inSection = header.trim() === section;
    const region = inSection ? /^\s*region\s*=\s*(\S+)/.exec(line)?.[1] : undefined;
    if (region) return region;
  }
  return undefined;
}

/** Every problem found, each one line saying what to do; empty when the deploy may go ahead. */
export async function deployProblems(input: PreflightInput): Promise<string[]> {
  const problems: string[] = [];
  const twilioEnv = Object.entries(input.env).some(([name, value]) => name.startsWith("TWILIO_") && value?.trim());
  if (!input.configExists && envValue(input.env, "SMS_CONFIG") !== undefined) {
    problems.push(missingConfigFileMessage(input.configPath));
  } else if (!input.configExists && !twilioEnv) {
    problems.push(
      `no config at ${input.configPath}: copy sms.config.example.json5 to sms.config.json5 and set your Twilio ` +
        "accountSid, fromNumber and who may talk to the agent (the example's placeholder account is never deployed)",
    );
  }
  if (!deployRegion(input.env, input.awsConfigFile)) {
    problems.push("no AWS region: set AWS_REGION (e.g. AWS_REGION=eu-west-1) or `region` in your AWS profile");
  }
  try {
    await input.credentials();
  } catch {
    problems.push(
      "no AWS credentials: run `aws configure` or `aws sso login`, or set AWS_PROFILE " +
        "(or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)",
    );
  }
  return problems;
}
