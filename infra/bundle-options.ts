import type { BuildOptions } from "esbuild";

export const FUNCTION_NAMES = ["inbound", "outbound", "admin", "agent"] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/**
 * Bundled ESM still meets CommonJS inside dependencies (twilio's webhook helpers, parts of the SDK tree) that call
 * `require`; ESM has none, so the bundle makes one from its own URL before anything else runs.
 */
const CREATE_REQUIRE_BANNER = [
  'import { createRequire as __smsCreateRequire } from "node:module";',
  "const require = __smsCreateRequire(import.meta.url);",
].join(" ");

export interface FunctionBundleVariant {
  /** `monitoring.tracing`: bundle the X-Ray tracer (lib/wiring/tracing.ts). Default false. */
  tracing?: boolean;
}

/**
 * The one esbuild configuration for a Lambda entry point. The deployment and the benchmark both use it, so the
 * benchmark measures exactly what runs in Lambda. Everything is bundled, the AWS SDK included: a pinned SDK in the
 * bundle beats the runtime's drifting copy, and a single tree-shaken file starts faster than node_modules lookups.
 */
export function functionBundleOptions(
  entryPoint: string,
  outfile: string,
  variant: FunctionBundleVariant = {},
): BuildOptions {
  return {
    entryPoints: [entryPoint],
    outfile,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "esm",
    banner: { js: CREATE_REQUIRE_BANNER },
    external: [],
    mainFields: ["module", "main"],
    minify: true,
    treeShaking: true,
    legalComments: "none",
    // A linked map costs nothing at start-up unless NODE_OPTIONS=--enable-source-maps asks Node to load it.
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
    // A constant, so with tracing off esbuild drops the branch that imports the tracer: off costs no bytes.
    define: { "process.env.SMS_TRACING": JSON.stringify(variant.tracing ? "1" : "0") },
  };
}
