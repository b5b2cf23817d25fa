/**
 * Hostile query strings and JSON bodies for the admin API: each is a 400 (or the route's own 404) that names the
 * field at fault, and nothing reaches Object.prototype.
 */
import { describe, expect, it } from "vitest";
import { AdminError } from "../../../lib/admin/admin-error.ts";
import { type AdminEvent, jsonBodyOf, queryOf } from "../../../lib/admin/http-event.ts";
import { parseRouteInput } from "../../../lib/admin/request-input.ts";
import { matchRoute, type RouteName } from "../../../lib/admin/routes.ts";
import { trimTrailingSlashes } from "../../../lib/admin/trailing-slashes.ts";

function event(body: string, rawQueryString = ""): AdminEvent {
  return { rawPath: "/", rawQueryString, body, isBase64Encoded: false, requestContext: { http: { method: "POST" } } };
}

/** The AdminError a request to `route` with this body (and query) is refused with. */
function refusal(route: RouteName, body: string, rawQueryString = ""): AdminError {
  const request = event(body, rawQueryString);
  try {
    parseRouteInput(route, queryOf(request), jsonBodyOf(request));
  } catch (error) {
    if (error instanceof AdminError) return error;
    throw error;
  }
  throw new Error("expected the request to be refused");
}

describe("hostile JSON bodies", () => {
  it.each<[string, RouteName, string, string, string]>([
    ["__proto__ key", "pairing.approve", '{"__proto__":{"polluted":1}}', "__proto__", "__proto__: unknown field"],
    ["constructor key", "allow.add", '{"constructor":{"prototype":{"polluted":1}}}', "constructor", "constructor:"],
    ["an object where a string goes", "pairing.approve", '{"code":{"__proto__":1}}', "code", "code: expected a string"],
    ["a number too big for a double", "pairing.approve", '{"code":1e999}', "code", "got number Infinity"],
    ["a 30-digit number", "allow.add", '{"phone":123456789012345678901234567890}', "phone", "got number 1.23"],
    ["a string", "allow.add", '"+15550001111"', "body", "request body: expected a JSON object"],
    ["a number", "allow.add", "42", "body", "request body: expected a JSON object"],
    ["null", "allow.add", "null", "body", "request body: expected a JSON object"],
    ["an array", "pairing.deny", '[{"code":"ABCD2345"}]', "body", "request body: expected a JSON object"],
    ["deeply nested arrays", "messages.send", `${"[".repeat(20_000)}${"]".repeat(20_000)}`, "body", "JSON object"],
    ["deeply nested objects", "messages.send", `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`, "a", "a: unknown"],
    ["truncated JSON", "pairing.approve", '{"code":"ABCD2345"', "body", "request body: not valid JSON"],
    ["an unknown key as long as the body", "allow.add", `{"${"k".repeat(5000)}":1}`, "k".repeat(5000), '"kkkk'],
    ["a lone surrogate", "pairing.approve", '{"code":"\\ud800"}', "code", "code: expected the pairing code"],
    ["media that is not a list", "messages.send", '{"message":"x","media":"x"}', "media", "media: expected an array"],
    ["a media entry that is not a URL", "messages.send", '{"message":"x","media":[1]}', "media[0]", "media[0]:"],
  ])("%s: 400 naming %s", (_name, route, body, field, message) => {
    const error = refusal(route, body);
    expect(error.status).toBe(400);
    expect(error.field).toBe(field);
    expect(error.message).toContain(message);
    expect(error.message.length).toBeLessThan(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reads only the fields the body itself holds, never Object.prototype's", () => {
    expect(refusal("pairing.approve", "{}").message).toBe("code: required");
    expect(parseRouteInput("messages.send", new URLSearchParams(), JSON.parse('{"message":"hi"}')).input).toEqual({
      message: "hi",
    });
  });
});

describe("hostile query strings", () => {
  it.each<[RouteName, string, string]>([
    ["allow.list", "account=__proto__", 'account: expected an account id (letters, digits, _ or -), got "__proto__"'],
    ["status", "probe=maybe", 'probe: expected 1 or 0 (true or false), got "maybe"'],
    ["status", "account=%00", 'account: expected an account id (letters, digits, _ or -), got "\\u0000"'],
  ])("%s?%s is a 400 naming the field", (route, query, message) => {
    expect(refusal(route, "", query).message).toBe(message);
  });

  it("quotes a long value only in part", () => {
    const error = refusal("allow.list", "", `account=${"a".repeat(5000)}`);
    expect(error.field).toBe("account");
    expect(error.message).toMatch(/got "a{80}"… \(5000 characters\)$/);
  });

  it("takes query keys such as constructor as ordinary keys", () => {
    const query = queryOf(event("", "constructor=x&hasOwnProperty=y&account=support"));
    expect(parseRouteInput("allow.list", query, undefined).input).toEqual({ account: "support" });
  });
});

describe("admin paths", () => {
  it("forgives any number of trailing slashes", () => {
    expect(matchRoute("GET", `/status${"/".repeat(5000)}`)).toMatchObject({ kind: "route" });
    expect(trimTrailingSlashes("/a/b///")).toBe("/a/b");
    expect(trimTrailingSlashes("///")).toBe("/");
    expect(trimTrailingSlashes("")).toBe("/");
    expect(trimTrailingSlashes(`/${"/".repeat(5000)}x`)).toBe(`/${"/".repeat(5000)}x`);
  });
});
