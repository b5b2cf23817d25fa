import { createHash } from "node:crypto";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignableRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export interface SigningParams {
  credentials: AwsCredentials;
  region: string;
  /** Lambda Function URLs with AWS_IAM auth are signed for the "lambda" service. */
  service?: string;
  /** Fixed in tests; now otherwise. */
  date?: Date;
}

/**
 * The headers to send for an IAM-authorised request: the caller's headers plus host, x-amz-content-sha256,
 * x-amz-date, authorization (and x-amz-security-token for temporary credentials). Deterministic for fixed
 * credentials and date.
 */
export async function signRequest(request: SignableRequest, params: SigningParams): Promise<Record<string, string>> {
  const body = request.body ?? "";
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of request.url.searchParams) {
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  const unsigned = new HttpRequest({
    method: request.method,
    protocol: request.url.protocol,
    hostname: request.url.hostname,
    ...(request.url.port ? { port: Number(request.url.port) } : {}),
    path: request.url.pathname,
    query,
    headers: {
      ...lowerCaseKeys(request.headers),
      host: request.url.host,
      "x-amz-content-sha256": createHash("sha256").update(body, "utf8").digest("hex"),
    },
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const signer = new SignatureV4({
    credentials: params.credentials,
    region: params.region,
    service: params.service ?? "lambda",
    sha256: Sha256,
  });
  const signed = await signer.sign(unsigned, { signingDate: params.date ?? new Date() });
  return { ...signed.headers };
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}

/** `<url-id>.lambda-url.<region>.on.aws` names its region; anything else (custom domain) does not. */
export function regionOfFunctionUrl(hostname: string): string | undefined {
  return /^[^.]+\.lambda-url\.([a-z0-9-]+)\.on\.aws$/i.exec(hostname)?.[1];
}
