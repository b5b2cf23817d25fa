import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nodeSupportNote, RECOMMENDED_NODE_MAJOR } from "../../../lib/runtime/node-support.ts";
import { PROJECT_ROOT } from "../../support/synth.ts";

const readJson = (file: string) => JSON.parse(readFileSync(join(PROJECT_ROOT, file), "utf8"));
const pkg = readJson("package.json") as { engines: { node: string } };
const lock = readJson("package-lock.json") as { packages: Record<string, { engines?: { node?: string } | string[] }> };

/** The oldest release of each Node line package.json accepts: what npm ci must install on without a warning. */
const OLDEST_ACCEPTED = ["20.19.0", "22.13.0"];

describe("the Node.js the project needs", () => {
  it("package.json says it: Node 20.19+ (past its end of life, still works) or 22.13+", () => {
    expect(pkg.engines.node).toBe("^20.19.0 || >=22.13.0");
    for (const version of OLDEST_ACCEPTED) expect(satisfies(version, pkg.engines.node)).toBe(true);
    expect(satisfies("20.18.0", pkg.engines.node)).toBe(false);
  });

  it("every locked package accepts those versions, so npm ci prints no EBADENGINE", () => {
    const refusing = Object.entries(lock.packages).flatMap(([path, entry]) => {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (range === undefined) return [];
      return OLDEST_ACCEPTED.filter((version) => !satisfies(version, range)).map((v) => `${path} (${range}) on ${v}`);
    });
    expect(refusing).toEqual([]);
  });

  it("says once, in one line, that an older Node than the Lambdas' works but is not recommended", () => {
    expect(nodeSupportNote("v20.19.2")).toContain(
      `Node v20.19.2 works but is past its end of life; Node ${RECOMMENDED_NODE_MAJOR}`,
    );
    expect(nodeSupportNote("v22.12.0")).toContain("older than 22.13");
    expect(nodeSupportNote("v22.13.0")).toBeUndefined();
    expect(nodeSupportNote("v24.1.0")).toBeUndefined();
  });

  it("the range check used here is right on the forms the lock file holds", () => {
    expect(satisfies("20.19.0", ">= 18.0.0")).toBe(true);
    expect(satisfies("20.19.0", ">=22")).toBe(false);
    expect(satisfies("20.19.0", "18 || 20 || >=22")).toBe(true);
    expect(satisfies("22.12.0", "^20.0.0 || ^22.0.0 || >=24.0.0")).toBe(true);
    expect(satisfies("20.19.0", "^20.19.0 || ^22.13.0 || >=23.5.0")).toBe(true);
    expect(satisfies("22.12.0", "^20.19.0 || ^22.13.0 || >=23.5.0")).toBe(false);
    expect(satisfies("20.19.0", ">= 10.x")).toBe(true);
    expect(satisfies("20.19.0", "*")).toBe(true);
  });
});

/** npm's range syntax, the part engines fields use: `||`, space-joined comparators, >= > <= < ^ ~ =, x and *. */
function satisfies(version: string, range: string): boolean {
  return range.split("||").some((alternative) =>
    alternative
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, "$1")
      .split(/\s+/)
      .every((comparator) => comparator === "" || meets(parse(version), comparator)),
  );
}

function meets(have: number[], comparator: string): boolean {
  const [, op = "", rest = ""] = /^(>=|<=|>|<|=|\^|~)?(.*)$/.exec(comparator) ?? [];
  if (rest === "*" || rest === "x") return true;
  const parts = rest.split(".").filter((part) => part !== "x" && part !== "*");
  const want = parse(rest);
  const cmp = compare(have, want);
  const samePrefix = (length: number) => compare(have.slice(0, length), want.slice(0, length)) === 0;
  switch (op) {
    case ">=":
      return cmp >= 0;
    case ">":
      return cmp > 0;
    case "<=":
      return cmp <= 0;
    case "<":
      return cmp < 0;
    case "^":
      return cmp >= 0 && samePrefix(1);
    case "~":
      return cmp >= 0 && samePrefix(Math.min(2, parts.length));
    default:
      return samePrefix(parts.length);
  }
}

function parse(version: string): number[] {
  const numbers = version.split(".").map((part) => Number.parseInt(part, 10));
  return [0, 1, 2].map((index) => (Number.isNaN(numbers[index]) ? 0 : (numbers[index] ?? 0)));
}

function compare(a: number[], b: number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}
