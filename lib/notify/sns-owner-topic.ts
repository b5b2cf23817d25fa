import type { AwsCredentials } from "../aws/sigv4.ts";
import type { OwnerTopic } from "../inbound/owner-notice.ts";

/*
 * SNS Publish as one SigV4-signed Query API call over fetch: the webhook function publishes only on a new pairing
 * request, and carrying @aws-sdk/client-sns for that would add ~50 KB to every cold start.
 */

export interface SnsTarget {
  topicArn: string;
  /** The Lambda's own credentials (its environment), read at each publish: they rotate. */
  credentials: () => AwsCredentials;
  /** Default https://sns.<region>.amazonaws.com, the region taken from the topic ARN. */
  endpoint?: string;
  fetch?: typeof fetch;
}

/** SNS subjects are at most 100 printable ASCII characters. */
function subjectLine(subject: string): string {
  return subject.replace(/[^\x20-\x7e]/g, "?").slice(0, 100);
}

/** `arn:<partition>:sns:<region>:<account>:<name>` */
function regionOf(topicArn: string): string {
  const region = topicArn.split(":")[3];
  if (!region) throw new Error(`not an SNS topic ARN: ${topicArn}`);
  return region;
}

export function snsOwnerTopic(target: SnsTarget): OwnerTopic {
  const region = regionOf(target.topicArn);
  const domain = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  const url = new URL(target.endpoint ?? `https://sns.${region}.${domain}/`);
  const send = target.fetch ?? fetch;
  return {
    async publish(subject, message) {
      const body = new URLSearchParams({
        Action: "Publish",
        Version: "2010-03-31",
        TopicArn: target.topicArn,
        Subject: subjectLine(subject),
        Message: message,
      }).toString();
      const headers = { "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
      // Loaded on the first publish: the signer's hashing code is not evaluated at every cold start.
      const { signRequest } = await import("../aws/sigv4.ts");
      const signed = await signRequest(
        { method: "POST", url, headers, body },
        { credentials: target.credentials(), region, service: "sns" },
      );
      const response = await send(url, { method: "POST", headers: signed, body, signal: AbortSignal.timeout(5000) });
      const text = await response.text();
      if (!response.ok)
        throw new Error(`SNS Publish answered ${response.status}: ${/<Code>([^<]+)</.exec(text)?.[1] ?? ""}`);
    },
  };
}

/** What Lambda puts in every function's environment. */
export function lambdaCredentials(env: Readonly<Record<string, string | undefined>>): AwsCredentials {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN } = env;
  if (!accessKeyId || !secretAccessKey) throw new Error("no AWS credentials in the environment");
  return { accessKeyId, secretAccessKey, ...(AWS_SESSION_TOKEN ? { sessionToken: AWS_SESSION_TOKEN } : {}) };
}
