/**
 * The local gateway's DynamoDB and SQS are embedded engines (dynalite, fauxqs) that accept any signature; the SDK
 * still signs, so it needs credentials and a Region. They are given here, to those two clients only, when the gateway
 * says so (SMS_EMBEDDED_ENGINES=1): the machine's own AWS credentials and Region stay untouched for what is really
 * AWS, such as a Bedrock agent or a Secrets Manager secret. On Lambda the variable is never set.
 */
export function embeddedEngineSettings(env: Readonly<Record<string, string | undefined>> = process.env): {
  credentials?: { accessKeyId: string; secretAccessKey: string };
  region?: string;
} {
  if (env.SMS_EMBEDDED_ENGINES !== "1") return {};
  return { credentials: { accessKeyId: "local", secretAccessKey: "local" }, region: "us-east-1" };
}
