import {
  AccessDeniedException,
  InternalServerException,
  ModelErrorException,
  ThrottlingException,
  ValidationException,
} from "@aws-sdk/client-bedrock-runtime";
import { describe, expect, it } from "vitest";
import { bedrockModelError } from "../../../lib/agent/bedrock-errors.ts";
import { MAX_QUOTED_CHARS } from "../../../lib/agent/model-error-text.ts";

const metadata = (httpStatusCode: number) => ({ $metadata: { httpStatusCode, requestId: "req-1" } });

describe("bedrockModelError", () => {
  it.each([
    ["ThrottlingException", new ThrottlingException({ message: "slow down", ...metadata(429) }), "retryable"],
    ["InternalServerException", new InternalServerException({ message: "oops", ...metadata(500) }), "retryable"],
    ["ValidationException", new ValidationException({ message: "bad", ...metadata(400) }), "terminal"],
    ["AccessDeniedException", new AccessDeniedException({ message: "no", ...metadata(403) }), "terminal"],
  ] as const)("judges %s by its name", (name, error, kind) => {
    expect(bedrockModelError(error, [])).toMatchObject({ kind, code: name });
  });

  it.each([
    [500, "retryable"],
    [429, "retryable"],
    [408, "retryable"],
    [400, "terminal"],
    [undefined, "retryable"],
  ] as const)("judges ModelErrorException by the model's own status %s", (originalStatusCode, kind) => {
    const error = new ModelErrorException({ message: "model failed", originalStatusCode, ...metadata(424) });
    expect(bedrockModelError(error, [])).toMatchObject({ kind, code: "ModelErrorException" });
  });

  it.each([
    [503, "retryable"],
    [429, "retryable"],
    [403, "terminal"],
    [400, "terminal"],
  ] as const)("judges an error it does not know by its HTTP status %s", (status, kind) => {
    const error = Object.assign(new Error("unknown"), {
      name: "SomeNewException",
      $fault: "client",
      ...metadata(status),
    });
    expect(bedrockModelError(error, [])).toMatchObject({ kind, code: "SomeNewException" });
  });

  it("calls a failure after HTTP 200 malformed, and retryable", () => {
    const error = Object.assign(new SyntaxError("Unexpected end of JSON input"), metadata(200));
    expect(bedrockModelError(error, [])).toMatchObject({ kind: "retryable", code: "MalformedResponse" });
  });

  it("names network failures by their Node code, retryable", () => {
    const reset = Object.assign(new Error("socket hang up"), { name: "TimeoutError", code: "ECONNRESET" });
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(bedrockModelError(reset, [])).toMatchObject({ kind: "retryable", code: "ECONNRESET" });
    expect(bedrockModelError(refused, [])).toMatchObject({ kind: "retryable", code: "ECONNREFUSED" });
  });

  it("calls missing credentials terminal", () => {
    const error = Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    });
    expect(bedrockModelError(error, [])).toMatchObject({ kind: "terminal", code: "CredentialsProviderError" });
  });

  it("quotes a service's message, scrubbed of what was sent and cut short", () => {
    const long = `prompt "tell me a secret" was refused. ${"x".repeat(400)}`;
    const error = new ValidationException({ message: long, ...metadata(400) });

    const { message } = bedrockModelError(error, ["tell me a secret"]);

    expect(message).toMatch(/^Bedrock Converse failed with ValidationException \(HTTP 400\): prompt "\[redacted\]"/);
    expect(message).not.toContain("tell me a secret");
    expect(message).toContain("[request req-1]");
    expect(message.length).toBeLessThan(MAX_QUOTED_CHARS + 120);
  });

  it("never quotes the SDK's own error text, which can hold the response body", () => {
    const error = Object.assign(new SyntaxError('Unexpected token in {"text":"the answer"}'), metadata(200));
    expect(bedrockModelError(error, []).message).not.toContain("the answer");
  });

  it("survives something that is not an Error", () => {
    expect(bedrockModelError("boom", [])).toMatchObject({ kind: "retryable", code: "UnknownError" });
  });
});
