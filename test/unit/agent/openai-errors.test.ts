import { describe, expect, it } from "vitest";
import { MAX_QUOTED_CHARS } from "../../../lib/agent/model-error-text.ts";
import { isRetryableStatus, modelErrorFromFailure, modelErrorFromStatus } from "../../../lib/agent/openai-errors.ts";

const KEY = "sk-proj-test-key-0123456789abcdef";
const PROMPT = "please keep this question private";
const CONTEXT = { endpoint: "api.openai.com", secrets: [KEY, PROMPT] };
const NO_HEADERS = new Headers();

function openAiError(message: string, code: string | null = null, type = "invalid_request_error"): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}

describe("isRetryableStatus", () => {
  it.each([408, 409, 429, 500, 502, 503, 504, 529])("HTTP %i is retryable", (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });

  it.each([301, 302, 307, 308, 400, 401, 403, 404, 405, 413, 422])("HTTP %i is terminal", (status) => {
    expect(isRetryableStatus(status)).toBe(false);
  });
});

describe("modelErrorFromStatus", () => {
  it.each([
    [400, "terminal"],
    [401, "terminal"],
    [403, "terminal"],
    [404, "terminal"],
    [422, "terminal"],
    [429, "retryable"],
    [500, "retryable"],
    [503, "retryable"],
  ] as const)("HTTP %i -> %s, with the status as its code", (status, kind) => {
    const error = modelErrorFromStatus(status, openAiError("nope"), NO_HEADERS, CONTEXT);
    expect(error.kind).toBe(kind);
    expect(error.code).toBe(String(status));
    expect(error.message).toBe(`api.openai.com answered HTTP ${status} (invalid_request_error): nope`);
  });

  it("names OpenAI's error code over its type, and mentions retry-after", () => {
    const body = openAiError("Rate limit reached for requests", "rate_limit_exceeded", "requests");
    const error = modelErrorFromStatus(429, body, new Headers({ "retry-after": "20" }), CONTEXT);
    expect(error.message).toBe(
      "api.openai.com answered HTTP 429 (rate_limit_exceeded): Rate limit reached for requests (retry after 20 s)",
    );
  });

  it("ignores a retry-after that is not a number of seconds", () => {
    const error = modelErrorFromStatus(
      429,
      "",
      new Headers({ "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT" }),
      CONTEXT,
    );
    expect(error.message).toBe("api.openai.com answered HTTP 429");
  });

  it("cuts the server's message to about 200 characters, on one line", () => {
    const long = `line one\n${"x".repeat(500)}`;
    const error = modelErrorFromStatus(400, openAiError(long), NO_HEADERS, CONTEXT);
    const quoted = error.message.split(": ").slice(1).join(": ");
    expect([...quoted]).toHaveLength(MAX_QUOTED_CHARS);
    expect(quoted.startsWith("line one x")).toBe(true);
    expect(quoted.endsWith("…")).toBe(true);
  });

  it("removes the API key and the conversation before cutting, so no part of them survives", () => {
    const echoed = `Incorrect API key provided: ${KEY}. You asked: ${PROMPT}. ${"pad ".repeat(80)}`;
    const error = modelErrorFromStatus(401, openAiError(echoed, "invalid_api_key"), NO_HEADERS, CONTEXT);
    expect(error.message).toContain("invalid_api_key");
    expect(error.message).toContain("[redacted]");
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toContain(KEY.slice(0, 12));
    expect(error.message).not.toContain(PROMPT);
    // A secret cut in half by the limit would still leak its first half; scrubbing comes first.
    const cutInside = modelErrorFromStatus(400, openAiError(`${"y".repeat(190)}${KEY}`), NO_HEADERS, CONTEXT);
    expect(cutInside.message).not.toContain(KEY.slice(0, 8));
  });

  it("masks phone numbers a server echoes back", () => {
    const error = modelErrorFromStatus(400, openAiError("bad user sms:default:+15557654321"), NO_HEADERS, CONTEXT);
    expect(error.message).not.toContain("5557654321");
    expect(error.message).toContain("4321");
  });

  it("reads the other error shapes servers answer with", () => {
    expect(
      modelErrorFromStatus(404, JSON.stringify({ error: 'model "llama9" not found' }), NO_HEADERS, CONTEXT).message,
    ).toBe('api.openai.com answered HTTP 404: model "llama9" not found');
    expect(modelErrorFromStatus(403, JSON.stringify({ message: "Forbidden" }), NO_HEADERS, CONTEXT).message).toBe(
      "api.openai.com answered HTTP 403: Forbidden",
    );
  });

  it("calls a redirect a wrong baseUrl, naming only the new host", () => {
    const moved = new Headers({ location: "https://api.example.net/v1/chat/completions?token=abc" });
    expect(modelErrorFromStatus(301, "moved", moved, CONTEXT)).toMatchObject({
      kind: "terminal",
      code: "301",
      message: "api.openai.com answered HTTP 301 (a redirect to api.example.net: point baseUrl at the new address)",
    });
    const relative = new Headers({ location: "/v2/chat/completions" });
    expect(modelErrorFromStatus(308, "", relative, CONTEXT).message).toContain("a redirect to api.openai.com:");
  });

  it("quotes nothing from a body that is not JSON (an HTML error page, a bare text)", () => {
    const error = modelErrorFromStatus(502, `<html><body>${PROMPT}</body></html>`, NO_HEADERS, CONTEXT);
    expect(error.message).toBe("api.openai.com answered HTTP 502");
  });
});

describe("modelErrorFromFailure", () => {
  it("calls a fired timeout a retryable timeout", () => {
    const error = modelErrorFromFailure(
      new DOMException("The operation was aborted due to timeout", "TimeoutError"),
      "h",
      1500,
    );
    expect(error).toMatchObject({ kind: "retryable", code: "timeout", message: "h did not answer within 1500 ms" });
  });

  it("calls a failed connection a retryable network error and names the reason", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:11434"), { code: "ECONNREFUSED" });
    const error = modelErrorFromFailure(new TypeError("fetch failed", { cause }), "127.0.0.1:11434", 60_000);
    expect(error).toMatchObject({
      kind: "retryable",
      code: "network",
      message: "127.0.0.1:11434 could not be reached (ECONNREFUSED)",
    });
  });

  it("falls back to the error's name when there is no code", () => {
    expect(modelErrorFromFailure(new TypeError("fetch failed"), "h", 1).message).toBe(
      "h could not be reached (TypeError)",
    );
  });
});
