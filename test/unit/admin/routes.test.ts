import { describe, expect, it } from "vitest";
import { matchRoute, ROUTES } from "../../../lib/admin/routes.ts";

describe("matchRoute", () => {
  it("matches every route by method and path", () => {
    for (const route of ROUTES) {
      const match = matchRoute(route.method, route.path);
      expect(match).toEqual({ kind: "route", route });
    }
  });

  it("forgives a trailing slash and lower-case methods", () => {
    expect(matchRoute("post", "/pairing/approve/")).toMatchObject({
      kind: "route",
      route: { name: "pairing.approve" },
    });
  });

  it("answers method-not-allowed with the allowed method for a known path", () => {
    expect(matchRoute("DELETE", "/pairing")).toEqual({ kind: "method-not-allowed", path: "/pairing", allow: ["GET"] });
    expect(matchRoute("GET", "/pairing/approve")).toEqual({
      kind: "method-not-allowed",
      path: "/pairing/approve",
      allow: ["POST"],
    });
  });

  it("answers not-found for unknown paths, including the unstripped /admin prefix", () => {
    expect(matchRoute("GET", "/nope")).toEqual({ kind: "not-found", path: "/nope" });
    expect(matchRoute("GET", "/admin/pairing")).toEqual({ kind: "not-found", path: "/admin/pairing" });
    expect(matchRoute("GET", "")).toEqual({ kind: "not-found", path: "/" });
  });
});
