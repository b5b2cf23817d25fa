import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { bundleFunction } from "../../infra/bundle.ts";
import { FUNCTION_NAMES, functionBundleOptions } from "../../infra/bundle-options.ts";

const RUNTIME_CONFIG = JSON.stringify({ version: 1, defaultAccount: "default", accounts: [] });

describe("functionBundleOptions", () => {
  it("bundles one ESM file for Node 22 with everything inside, minified, with a linked map and a metafile", () => {
    const options = functionBundleOptions("functions/inbound.ts", "/tmp/out/index.mjs");
    expect(options).toMatchObject({
      entryPoints: ["functions/inbound.ts"],
      outfile: "/tmp/out/index.mjs",
      bundle: true,
      platform: "node",
      target: "node22",
      format: "esm",
      mainFields: ["module", "main"],
      minify: true,
      treeShaking: true,
      legalComments: "none",
      sourcemap: "linked",
      metafile: true,
    });
    expect(options.external ?? []).toEqual([]);
    expect(options.banner?.js).toMatch(/createRequire.*import\.meta\.url/);
  });

  it("names the four functions", () => {
    expect(FUNCTION_NAMES).toEqual(["inbound", "outbound", "admin", "agent"]);
  });
});

describe("bundleFunction", () => {
  it("writes index.mjs, its map and the runtime config into one directory, reused while nothing changes", () => {
    const dir = bundleFunction("inbound", RUNTIME_CONFIG);
    expect(readdirSync(dir).sort()).toEqual(["index.mjs", "index.mjs.map", "runtime-config.json"]);
    expect(readFileSync(join(dir, "runtime-config.json"), "utf8")).toBe(RUNTIME_CONFIG);
    const code = readFileSync(join(dir, "index.mjs"), "utf8");
    expect(code).toMatch(/^import \{ createRequire as \w+ \} from "node:module"; const require = /);
    expect(code.trimEnd().endsWith("//# sourceMappingURL=index.mjs.map")).toBe(true);

    const builtAt = statSync(join(dir, "index.mjs")).mtimeMs;
    expect(bundleFunction("inbound", RUNTIME_CONFIG)).toBe(dir);
    expect(statSync(join(dir, "index.mjs")).mtimeMs).toBe(builtAt);
  });

  it("gives another runtime config its own directory around the same code", () => {
    const first = bundleFunction("admin", RUNTIME_CONFIG);
    const other = JSON.stringify({ version: 1, defaultAccount: "support", accounts: [] });
    const second = bundleFunction("admin", other);
    expect(second).not.toBe(first);
    expect(readFileSync(join(second, "runtime-config.json"), "utf8")).toBe(other);
    expect(readFileSync(join(second, "index.mjs")).equals(readFileSync(join(first, "index.mjs")))).toBe(true);
  });

  it.each(FUNCTION_NAMES)("builds %s into a module Node can load, exporting handler", (name) => {
    const dir = bundleFunction(name, RUNTIME_CONFIG);
    const url = pathToFileURL(join(dir, "index.mjs")).href;
    const probe = `const m = await import(${JSON.stringify(url)}); console.log(typeof m.handler);`;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", probe], {
      encoding: "utf8",
      env: {
        PATH: process.env.PATH,
        AWS_REGION: "us-east-1",
        SMS_RUNTIME_CONFIG_FILE: join(dir, "runtime-config.json"),
        SMS_TABLE_NAME: "sms-test",
        SMS_TURNS_QUEUE_URL: "http://127.0.0.1:9/turns.fifo",
        SMS_REPLIES_QUEUE_URL: "http://127.0.0.1:9/replies.fifo",
        SMS_REPLIES_DLQ_URL: "http://127.0.0.1:9/replies-dlq.fifo",
        SMS_AUTH_TOKEN_SECRET_ARNS: "{}",
        SMS_WEBHOOK_BASE_URL: "https://example.execute-api.us-east-1.amazonaws.com/prod",
      },
    });
    // stderr may carry the SDK's Node-version notice when tests run on Node 20; a load failure exits non-zero.
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe("function");
  });
});
