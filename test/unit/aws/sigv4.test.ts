import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { regionOfFunctionUrl, signRequest } from "../../../lib/aws/sigv4.ts";

const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const DATE = new Date("2024-01-02T03:04:05Z");
const URL_TEXT = "https://abcdefghijklmnop.lambda-url.eu-west-1.on.aws/pairing/approve?account=support";
const BODY = JSON.stringify({ code: "ABCD2345" });

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const hmac = (key: string | Buffer, text: string) => createHmac("sha256", key).update(text, "utf8").digest();

/** SigV4 written out from AWS's specification, independent of the signer under test. */
function referenceSignature(headers: Record<string, string>, signedNames: string[], secret: string): string {
  const canonicalHeaders = signedNames.map((name) => `${name}:${headers[name]?.trim()}\n`).join("");
  const canonicalRequest = [
    "POST",
    "/pairing/approve",
    "account=support",
    canonicalHeaders,
    signedNames.join(";"),
    sha256(BODY),
  ].join("\n");
  const scope = "20240102/eu-west-1/lambda/aws4_request";
  const stringToSign = ["AWS4-HMAC-SHA256", "20240102T030405Z", scope, sha256(canonicalRequest)].join("\n");
  const key = ["20240102", "eu-west-1", "lambda", "aws4_request"].reduce<string | Buffer>(
    (current, part) => hmac(current, part),
    `AWS4${secret}`,
  );
  return createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
}

async function signFixed(credentials: typeof CREDENTIALS & { sessionToken?: string }) {
  return signRequest(
    {
      method: "POST",
      url: new URL(URL_TEXT),
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: BODY,
    },
    { credentials, region: "eu-west-1", date: DATE },
  );
}

describe("signRequest", () => {
  it("signs host, date and the content hash for the lambda service", async () => {
    const headers = await signFixed(CREDENTIALS);
    expect(headers.host).toBe("abcdefghijklmnop.lambda-url.eu-west-1.on.aws");
    expect(headers["x-amz-date"]).toBe("20240102T030405Z");
    expect(headers["x-amz-content-sha256"]).toBe(sha256(BODY));

    const authorization = headers.authorization ?? "";
    expect(authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20240102\/eu-west-1\/lambda\/aws4_request, /,
    );
    const signedNames = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(";") ?? [];
    expect(signedNames).toEqual(["accept", "content-type", "host", "x-amz-content-sha256", "x-amz-date"]);
    const signature = /Signature=([0-9a-f]{64})$/.exec(authorization)?.[1];
    expect(signature).toBe(referenceSignature(headers, signedNames, CREDENTIALS.secretAccessKey));
  });

  it("is deterministic for fixed credentials and date, and changes with the body", async () => {
    const first = await signFixed(CREDENTIALS);
    expect(await signFixed(CREDENTIALS)).toEqual(first);
    const other = await signRequest(
      { method: "POST", url: new URL(URL_TEXT), headers: {}, body: '{"code":"ZZZZ2222"}' },
      { credentials: CREDENTIALS, region: "eu-west-1", date: DATE },
    );
    expect(other.authorization).not.toBe(first.authorization);
  });

  it("signs the session token of temporary credentials", async () => {
    const headers = await signFixed({ ...CREDENTIALS, sessionToken: "session-token-1" });
    expect(headers["x-amz-security-token"]).toBe("session-token-1");
    expect(headers.authorization).toContain("x-amz-security-token");
  });

  it("hashes an empty body for a GET", async () => {
    const headers = await signRequest(
      { method: "GET", url: new URL("https://x.lambda-url.us-east-1.on.aws/status?probe=1"), headers: {} },
      { credentials: CREDENTIALS, region: "us-east-1", date: DATE },
    );
    expect(headers["x-amz-content-sha256"]).toBe(sha256(""));
  });
});

describe("regionOfFunctionUrl", () => {
  it("reads the region of a Function URL host only", () => {
    expect(regionOfFunctionUrl("abc123.lambda-url.ap-southeast-2.on.aws")).toBe("ap-southeast-2");
    expect(regionOfFunctionUrl("admin.example.com")).toBeUndefined();
  });
});
