import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { FUNCTION_NAMES, type FunctionName, functionBundleOptions } from "../infra/bundle-options.ts";
import { printTable } from "./print-table.ts";

// What monitoring.tracing costs in each bundle: the same esbuild options, once with tracing off (the default) and
// once on. Off, the tracer's branch is dead code and none of its packages may be in the output.

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
const TRACER_PACKAGES = ["@aws-lambda-powertools/tracer", "aws-xray-sdk-core"];

export interface TracingBundleRow {
  fn: FunctionName;
  offBytes: number;
  onBytes: number;
  /** Output bytes from the tracer's packages in the bundle built with tracing off: 0 is the goal. */
  tracerBytesWhenOff: number;
}

export async function benchTracingBundles(): Promise<TracingBundleRow[]> {
  const dir = await mkdtemp(join(tmpdir(), "sms-bench-tracing-"));
  try {
    const rows: TracingBundleRow[] = [];
    for (const fn of FUNCTION_NAMES) {
      const off = await measure(fn, false, dir);
      const on = await measure(fn, true, dir);
      rows.push({ fn, offBytes: off.bytes, onBytes: on.bytes, tracerBytesWhenOff: off.tracerBytes });
    }
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    printTable(
      ["function", "tracing off", "tracing on", "on adds"],
      rows.map((row) => [row.fn, kb(row.offBytes), kb(row.onBytes), kb(row.onBytes - row.offBytes)]),
    );
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function measure(fn: FunctionName, tracing: boolean, dir: string) {
  const outfile = join(dir, `${fn}${tracing ? ".traced" : ""}.mjs`);
  const entry = join(PROJECT_ROOT, "functions", `${fn}.ts`);
  const result = await build({ ...functionBundleOptions(entry, outfile, { tracing }), absWorkingDir: PROJECT_ROOT });
  const output = Object.entries(result.metafile?.outputs ?? {}).find(([path]) => path.endsWith(".mjs"))?.[1];
  if (!output) throw new Error(`esbuild wrote no .mjs for ${fn}`);
  const tracerBytes = Object.entries(output.inputs)
    .filter(([input]) => TRACER_PACKAGES.some((pkg) => input.includes(`node_modules/${pkg}/`)))
    .reduce((sum, [, { bytesInOutput }]) => sum + bytesInOutput, 0);
  return { bytes: output.bytes, tracerBytes };
}

export function tracingBundlesGoal(rows: readonly TracingBundleRow[]): string {
  const carrying = rows.filter((row) => row.tracerBytesWhenOff > 0).map((row) => row.fn);
  const largest = Math.max(...rows.map((row) => row.onBytes - row.offBytes));
  return carrying.length === 0
    ? `GOAL MET: with tracing off no bundle carries tracer code (on adds up to ${(largest / 1024).toFixed(1)} KB)`
    : `GOAL MISSED: with tracing off ${carrying.join(", ")} still carry tracer code`;
}
