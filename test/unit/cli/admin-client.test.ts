import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { type AdminEndpoint, callAdmin, resolveAdminEndpoint } from "../../../lib/cli/admin-client.ts";
import { CliError } from "../../../lib/cli/cli-error.ts";

interface Sent {
  url: string;
  init: RequestInit;
}

function fakeFetch(status: number, body: string, sent: Sent[]): typeof fetch {
  return async (input, init) => {
    sent.push({ url: String(input), init: init ?? {} });
    return new Response(body, { status });
  };
}

const credentials = async () => ({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" });
// The token file is named absolutely, so an error about it says exactly which file was read.
const local: AdminEndpoint = {
  kind: "local",
  baseUrl: "http://127.0.0.1:8787/admin",
  tokenFile: resolve(".data", "admin-token"),
};

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CliError) return error.message;
    throw error;
  }
  throw new Error("expected a CliError");
}

describe("resolveAdminEndpoint", () => {
  it("defaults to the local gateway on PORT with the token under SMS_DATA_DIR", () => {
    expect(resolveAdminEndpoint(undefined, {})).toEqual(local);
    expect(resolveAdminEndpoint(undefined, { PORT: "9000", SMS_DATA_DIR: "/var/sms" })).toEqual({
      kind: "local",
      baseUrl: "http://127.0.0.1:9000/admin",
      tokenFile: "/var/sms/admin-token",
    });
  });

  it("treats a loopback --url as local and any other as a Function URL with its region", () => {
    expect(resolveAdminEndpoint("http://localhost:8787/admin/", {})).toMatchObject({
      kind: "local",
      baseUrl: "http://localhost:8787/admin",
    });
    expect(resolveAdminEndpoint(undefined, { SMS_ADMIN_URL: "https://abc.lambda-url.eu-west-1.on.aws/" })).toEqual({
      kind: "aws",
      baseUrl: "https://abc.lambda-url.eu-west-1.on.aws",
      region: "eu-west-1",
    });
    expect(resolveAdminEndpoint("https://admin.example.com", { AWS_REGION: "us-west-2" })).toMatchObject({
      region: "us-west-2",
    });
  });

  it("rejects URLs it cannot use, saying why", () => {
    expect(() => resolveAdminEndpoint("not a url", {})).toThrow(/^--url: expected an absolute URL/);
    expect(() => resolveAdminEndpoint("http://admin.example.com", {})).toThrow(/must be https/);
    expect(() => resolveAdminEndpoint("https://admin.example.com", {})).toThrow(/set AWS_REGION/);
  });
});

describe("callAdmin", () => {
  it("sends the local bearer token and JSON body, and returns the JSON answer", async () => {
    const sent: Sent[] = [];
    const result = await callAdmin(
      local,
      { method: "POST", path: "/pairing/approve", body: { code: "ABCD2345" } },
      { fetch: fakeFetch(200, '{"phone":"+15550001111"}', sent), credentials, readTextFile: () => "tok-123\n" },
    );
    expect(result).toEqual({ phone: "+15550001111" });
    expect(sent[0]?.url).toBe("http://127.0.0.1:8787/admin/pairing/approve");
    expect(sent[0]?.init.headers).toMatchObject({
      authorization: "Bearer tok-123",
      "content-type": "application/json",
    });
    expect(sent[0]?.init.body).toBe('{"code":"ABCD2345"}');
  });

  it("says to start the gateway when the token file is missing", async () => {
    const message = await failure(
      callAdmin(
        local,
        { method: "GET", path: "/status" },
        {
          fetch: fakeFetch(200, "{}", []),
          credentials,
          readTextFile: () => {
            throw new Error("ENOENT");
          },
        },
      ),
    );
    expect(message).toBe(`no admin token at ${local.tokenFile}: is the local gateway running? (npm start)`);
  });

  it("says to start the gateway when nothing listens", async () => {
    const refused: typeof fetch = async () => {
      throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    };
    const message = await failure(
      callAdmin(local, { method: "GET", path: "/status" }, { fetch: refused, credentials, readTextFile: () => "t" }),
    );
    expect(message).toBe(
      "cannot reach the local gateway at http://127.0.0.1:8787/admin (ECONNREFUSED): is the local gateway running? (npm start)",
    );
  });

  it("passes the server's error message through", async () => {
    const body = JSON.stringify({ error: { code: "pairing_code_expired", message: "code: pairing code X expired" } });
    const message = await failure(
      callAdmin(
        local,
        { method: "POST", path: "/pairing/approve", body: {} },
        {
          fetch: fakeFetch(410, body, []),
          credentials,
          readTextFile: () => "t",
        },
      ),
    );
    expect(message).toBe("code: pairing code X expired");
  });

  it("signs requests to a Function URL and explains an IAM refusal", async () => {
    const sent: Sent[] = [];
    const endpoint: AdminEndpoint = {
      kind: "aws",
      baseUrl: "https://abc.lambda-url.eu-west-1.on.aws",
      region: "eu-west-1",
    };
    const message = await failure(
      callAdmin(
        endpoint,
        { method: "GET", path: "/status", query: { probe: "1", account: undefined } },
        {
          fetch: fakeFetch(403, '{"Message":"Forbidden"}', sent),
          credentials,
          now: () => new Date("2024-01-02T03:04:05Z"),
        },
      ),
    );
    expect(message).toMatch(/refused the request \(HTTP 403: Forbidden\).*lambda:InvokeFunctionUrl/);
    expect(sent[0]?.url).toBe("https://abc.lambda-url.eu-west-1.on.aws/status?probe=1");
    const headers = sent[0]?.init.headers as Record<string, string>;
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20240102\/eu-west-1\/lambda\//);
    expect(headers["x-amz-content-sha256"]).toMatch(/^[0-9a-f]{64}$/);
    expect(headers.host).toBeUndefined();
  });
});
