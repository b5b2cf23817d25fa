import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { trimSpec, VENDORED_DIR, VENDORED_PATHS } from "../../support/vendor-twilio-specs.ts";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const sourceSpec = () => ({
  openapi: "3.0.1",
  tags: [{ name: "dropped" }],
  paths: {
    "/kept": { get: { responses: { "200": { content: { "application/json": { schema: ref("outer") } } } } } },
    "/other": { get: { responses: { "200": { content: { "application/json": { schema: ref("unused") } } } } } },
  },
  components: {
    securitySchemes: { accountSid_authToken: { type: "http", scheme: "basic" } },
    schemas: {
      outer: { type: "object", properties: { inner: ref("inner") } },
      inner: { type: "object", properties: { leaf: { type: "array", items: ref("leaf") } } },
      leaf: { type: "string" },
      unused: { type: "string" },
    },
  },
});

describe("trimSpec", () => {
  it("keeps the named paths and every schema they reach, transitively, and nothing else", () => {
    const trimmed = trimSpec(sourceSpec(), ["/kept"]);
    expect(Object.keys(trimmed.paths)).toEqual(["/kept"]);
    expect(Object.keys(trimmed.components.schemas)).toEqual(["inner", "leaf", "outer"]);
    expect(trimmed.components.securitySchemes).toEqual(sourceSpec().components.securitySchemes);
    expect(trimmed.tags).toBeUndefined();
    expect(trimmed.openapi).toBe("3.0.1");
  });

  it("refuses a path the spec does not have and a reference to a missing schema", () => {
    expect(() => trimSpec(sourceSpec(), ["/nope"])).toThrow("the spec has no path /nope");
    const broken = sourceSpec();
    delete (broken.components.schemas as Record<string, unknown>).leaf;
    expect(() => trimSpec(broken, ["/kept"])).toThrow("the spec references a missing schema leaf");
  });
});

describe("the vendored Twilio specs", () => {
  it.each(Object.entries(VENDORED_PATHS))(
    "%s holds exactly the listed paths, and every reference resolves",
    (file, paths) => {
      const text = readFileSync(join(VENDORED_DIR, file), "utf8");
      const spec = JSON.parse(text) as { paths: object; components: { schemas: Record<string, unknown> } };
      expect(Object.keys(spec.paths)).toEqual(paths);
      const refs = [...text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1] as string);
      expect(refs.length).toBeGreaterThan(0);
      expect(refs.filter((name) => !(name in spec.components.schemas))).toEqual([]);
    },
  );

  it("come with Twilio's MIT licence", () => {
    expect(readFileSync(join(VENDORED_DIR, "LICENSE-twilio-oai"), "utf8")).toMatch(/^MIT License[\s\S]*Twilio, Inc\./);
  });
});
