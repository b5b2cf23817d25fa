import { describe, expect, it } from "vitest";
import { type ReceivedRequest, toFunctionUrlEvent, toRestApiEvent } from "../../../infra/local/http-events.ts";

const PROTO_KEYS = ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty"];

function received(target: string, headers: ReceivedRequest["headers"] = {}): ReceivedRequest {
  return { method: "POST", url: new URL(`http://localhost${target}`), headers, body: "", sourceIp: "127.0.0.1" };
}

describe("local gateway events: caller-chosen names are ordinary keys", () => {
  it.each(PROTO_KEYS)("keeps the query key %s in the REST API event, with every value", (key) => {
    const event = toRestApiEvent(received(`/webhooks/sms?${key}=a&${key}=b&x=1`), "/webhooks/sms");
    expect(Object.entries(event.multiValueQueryStringParameters ?? {})).toEqual([
      [key, ["a", "b"]],
      ["x", ["1"]],
    ]);
    expect(Object.entries(event.queryStringParameters ?? {})).toEqual([
      [key, "b"],
      ["x", "1"],
    ]);
    // Nothing leaked onto (or replaced) the shared prototype.
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).a).toBeUndefined();
  });

  it.each(PROTO_KEYS)("keeps the query key %s in the Function URL event", (key) => {
    const event = toFunctionUrlEvent(received(`/admin/status?${key}=a&${key}=b`), "/status");
    expect(Object.entries(event.queryStringParameters ?? {})).toEqual([[key, "a,b"]]);
    expect(event.rawQueryString).toBe(`${key}=a&${key}=b`);
  });

  it("keeps header names such as __proto__ and constructor as headers", () => {
    const headers = Object.fromEntries([
      ["__proto__", "x"],
      ["constructor", "y"],
    ]);
    const event = toRestApiEvent(received("/webhooks/sms", headers), "/webhooks/sms");
    expect(Object.entries(event.headers)).toEqual([
      ["__proto__", "x"],
      ["constructor", "y"],
    ]);
    expect(Object.keys(event.multiValueHeaders)).toEqual(["__proto__", "constructor"]);
  });

  it("answers null, as API Gateway does, when there is no query string", () => {
    const event = toRestApiEvent(received("/webhooks/sms"), "/webhooks/sms");
    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
  });
});
