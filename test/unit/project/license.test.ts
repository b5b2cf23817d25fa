import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../support/synth.ts";

describe("the licence package.json declares", () => {
  it("ships as LICENSE with the MIT text", () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { license?: string };
    expect(pkg.license).toBe("MIT");
    const text = readFileSync(join(PROJECT_ROOT, "LICENSE"), "utf8");
    expect(text.startsWith("MIT License\n")).toBe(true);
    expect(text).toContain("Permission is hereby granted, free of charge, to any person obtaining a copy");
    expect(text).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });
});
