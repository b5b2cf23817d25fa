/**
 * The local gateway's HTTP layer with stub handlers, over raw TCP: each specific malformation of issue 7 gets a 4xx
 * that names it (or reaches the handler intact), never a 500.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGatewayServer } from "../../../infra/local/http-gateway.ts";
import type { ParsedResponse } from "../../support/hostile/http-response-parser.ts";
import { exchange } from "../../support/hostile/raw-http-client.ts";

const TOKEN = "unit-admin-token";
const MAX_BODY = 1000;

let server: Server;
let port: number;
let webhookEvents: APIGatewayProxyEvent[];
let adminEvents: APIGatewayProxyEventV2[];
const errors: unknown[] = [];

beforeAll(async () => {
  server = createGatewayServer({
    webhookPaths: new Set(["/webhooks/sms"]),
    adminToken: TOKEN,
    inbound: async (event) => {
      webhookEvents.push(event);
      return { statusCode: 200, headers: { "content-type": "text/xml" }, body: "<Response/>" };
    },
    admin: async (event) => {
      adminEvents.push(event);
      return { statusCode: 200, headers: { "content-type": "application/json" }, body: "{}" };
    },
    onError: (error) => errors.push(error),
    // Short enough that a stalled sender is cut off within the test.
    limits: { maxBodyBytes: MAX_BODY, headersTimeoutMs: 300, requestTimeoutMs: 600 },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  expect(errors).toEqual([]);
});

beforeEach(() => {
  webhookEvents = [];
  adminEvents = [];
});

/** One request, spelled out line by line; the body gets a Content-Length unless the head already framed it. */
async function send(head: string[], body = "", options: { halfClose?: boolean } = {}): Promise<ParsedResponse> {
  const framed = head.some((line) => /^(content-length|transfer-encoding):/i.test(line));
  const lines = framed ? head : [...head, `Content-Length: ${Buffer.byteLength(body, "latin1")}`];
  const bytes = Buffer.from(`${lines.join("\r\n")}\r\n\r\n${body}`, "latin1");
  const outcome = await exchange(port, bytes, {
    heads: [false],
    halfClose: options.halfClose ?? false,
    stallMs: 10_000,
  });
  const [response] = outcome.responses;
  if (!response) throw new Error(`no response (${outcome.kind})`);
  return response;
}

const text = (response: ParsedResponse) => response.body.toString("utf8");

describe("a malformed Host header", () => {
  it.each(["[", "a b", "", "[::1]x", "h\xc0\xaf"])("does not matter to the webhook: Host %j", async (host) => {
    const response = await send(["POST /webhooks/sms HTTP/1.1", `Host: ${host}`], "Body=hi");
    expect(response.status).toBe(200);
    expect(webhookEvents).toHaveLength(1);
  });

  it.each(["[", "a b", ""])("still gets the admin 401 without a token: Host %j", async (host) => {
    const response = await send(["GET /admin/status HTTP/1.1", `Host: ${host}`]);
    expect(response.status).toBe(401);
    expect(JSON.parse(text(response))).toMatchObject({ error: { code: "unauthorized" } });
    expect(adminEvents).toEqual([]);
  });

  it("does not come before the admin 401, even when missing altogether", async () => {
    expect((await send(["GET /admin/status HTTP/1.1"])).status).toBe(401);
  });

  it("is refused with a 400 naming it only when missing from an HTTP/1.1 request", async () => {
    const response = await send(["POST /webhooks/sms HTTP/1.1"], "Body=hi");
    expect(response.status).toBe(400);
    expect(text(response)).toMatch(/^Host header: required/);
    expect((await send(["POST /webhooks/sms HTTP/1.0"], "Body=hi")).status).toBe(200);
  });
});

describe("query keys that name Object.prototype members", () => {
  it.each(["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty"])(
    "reach the webhook handler as ordinary keys: %s",
    async (key) => {
      const response = await send([`POST /webhooks/sms?${key}=1&${key}=2 HTTP/1.1`, "Host: x"], "Body=hi");
      expect(response.status).toBe(200);
      expect(Object.entries(webhookEvents[0]?.multiValueQueryStringParameters ?? {})).toEqual([[key, ["1", "2"]]]);
    },
  );

  it("reach the admin handler as ordinary keys", async () => {
    const response = await send([
      "GET /admin/status?constructor=a&__proto__=b HTTP/1.1",
      "Host: x",
      `Authorization: Bearer ${TOKEN}`,
    ]);
    expect(response.status).toBe(200);
    expect(adminEvents[0]?.rawQueryString).toBe("constructor=a&__proto__=b");
    expect(Object.keys(adminEvents[0]?.queryStringParameters ?? {})).toEqual(["constructor", "__proto__"]);
  });
});

describe("odd request targets", () => {
  it.each(["http://x/webhooks/sms", "*", "https://evil.example/admin/status"])(
    "refuses %s with a 400 that says a path was expected",
    async (target) => {
      const response = await send([`POST ${target} HTTP/1.1`, "Host: x", `Authorization: Bearer ${TOKEN}`], "a=b");
      expect(response.status).toBe(400);
      expect(text(response)).toMatch(/^request target: expected a path such as \/webhooks\/sms, got "/);
      expect([...webhookEvents, ...adminEvents]).toEqual([]);
    },
  );

  it("reads //x as a path, not as a host", async () => {
    const response = await send(["POST //x/webhooks/sms HTTP/1.1", "Host: x"], "a=b");
    expect(response.status).toBe(404);
  });

  it("matches the webhook path with trailing slashes, however many", async () => {
    const response = await send([`POST /webhooks/sms${"/".repeat(5000)} HTTP/1.1`, "Host: x"], "a=b");
    expect(response.status).toBe(200);
    expect(webhookEvents[0]?.resource).toBe("/webhooks/sms");
  });
});

describe("requests Node's parser refuses", () => {
  it("answers an unknown method with a 400 that names the problem", async () => {
    const response = await send(["BREW /webhooks/sms HTTP/1.1", "Host: x"]);
    expect(response.status).toBe(400);
    expect(text(response)).toMatch(/^malformed HTTP request: .*\(HPE_INVALID_METHOD\)/);
  });

  it("answers oversized headers with 431", async () => {
    const response = await send(["GET /admin/status HTTP/1.1", "Host: x", `X-Big: ${"y".repeat(20_000)}`]);
    expect(response.status).toBe(431);
    expect(text(response)).toMatch(/^request headers: too large/);
  });

  it("answers CONNECT with 405: this is not a proxy", async () => {
    const response = await send(["CONNECT 127.0.0.1:443 HTTP/1.1", "Host: 127.0.0.1:443"]);
    expect(response.status).toBe(405);
    expect(text(response)).toMatch(/^CONNECT: this gateway is not a proxy/);
  });

  it("answers an unsupported Expect with 417 naming it", async () => {
    const response = await send(["POST /webhooks/sms HTTP/1.1", "Host: x", "Expect: tea"], "a=b");
    expect(response.status).toBe(417);
    expect(text(response)).toMatch(/^Expect header: /);
  });
});

describe("bodies", () => {
  it("refuses a declared body over the limit with 413 before reading it", async () => {
    const response = await send(["POST /webhooks/sms HTTP/1.1", "Host: x", `Content-Length: ${MAX_BODY + 1}`], "", {
      halfClose: false,
    });
    expect(response.status).toBe(413);
    expect(webhookEvents).toEqual([]);
  });

  it("refuses a chunked body that grows over the limit with 413", async () => {
    const chunk = "a".repeat(600);
    const body = `258\r\n${chunk}\r\n258\r\n${chunk}\r\n0\r\n\r\n`;
    const response = await send(["POST /webhooks/sms HTTP/1.1", "Host: x", "Transfer-Encoding: chunked"], body);
    expect(response.status).toBe(413);
    expect(webhookEvents).toEqual([]);
  });

  it("cuts off a sender that stops half-way through its body with 408", async () => {
    const response = await send(["POST /webhooks/sms HTTP/1.1", "Host: x", "Content-Length: 100"], "Body=only-part");
    expect(response.status).toBe(408);
    expect(webhookEvents).toEqual([]);
  });

  it("answers 400 when the connection ends before the body is complete", async () => {
    const response = await send(["POST /webhooks/sms HTTP/1.1", "Host: x", "Content-Length: 100"], "Body=x", {
      halfClose: true,
    });
    expect(response.status).toBe(400);
    expect(webhookEvents).toEqual([]);
  });

  it("reads the admin token before the body: a 401 needs no body at all", async () => {
    const response = await send(["POST /admin/allow/add HTTP/1.1", "Host: x", "Content-Length: 100"], "");
    expect(response.status).toBe(401);
  });

  it("passes invalid UTF-8 on as replacement characters (the handler decides)", async () => {
    const response = await send(["POST /webhooks/sms HTTP/1.1", "Host: x"], "Body=\xff\xfe");
    expect(response.status).toBe(200);
    expect(webhookEvents[0]?.body).toBe("Body=\ufffd\ufffd");
  });
});
