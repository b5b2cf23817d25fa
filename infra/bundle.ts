import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync, version as esbuildVersion } from "esbuild";
import { type FunctionBundleVariant, type FunctionName, functionBundleOptions } from "./bundle-options.ts";

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Inside cdk.out (git-ignored) so a stale cache goes away with `rm -rf cdk.out`. */
const BUNDLES_DIR = join(PROJECT_ROOT, "cdk.out", ".bundles");
const CODE_DIR = join(BUNDLES_DIR, ".code");
const OUTPUT_FILE = "index.mjs";
const RUNTIME_CONFIG_FILE = "runtime-config.json";

interface InputsManifest {
  key: string;
  inputs: string[];
}

/**
 * Returns a directory ready for `lambda.Code.fromAsset`: the bundled handler (`index.mjs` + map) and the
 * `runtime-config.json` it reads. Both levels are cached by content, so a synth with unchanged sources only hashes
 * files, and two test workers bundling at once each finish with a complete directory.
 */
export function bundleFunction(
  name: FunctionName,
  runtimeConfigJson: string,
  variant: FunctionBundleVariant = {},
): string {
  const code = bundledCode(name, variant);
  const prefix = cachePrefix(name, variant);
  const dir = join(BUNDLES_DIR, `${prefix}-${code.key.slice(0, 16)}-${sha256(runtimeConfigJson).slice(0, 16)}`);
  if (existsSync(join(dir, RUNTIME_CONFIG_FILE))) return dir;

  const staging = stagingDir(BUNDLES_DIR, prefix);
  for (const file of readdirSync(code.dir)) linkOrCopy(join(code.dir, file), join(staging, file));
  writeFileSync(join(staging, RUNTIME_CONFIG_FILE), runtimeConfigJson);
  publish(staging, dir);
  prune(BUNDLES_DIR, new RegExp(`^${prefix}-(?!${code.key.slice(0, 16)}-)[0-9a-f]{16}-[0-9a-f]{16}$`));
  return dir;
}

/**
 * Each variant is cached apart ("inbound", "inbound-traced"), so synths with tracing on and off (two stacks, or
 * test files running side by side) never prune each other's bundles.
 */
function cachePrefix(name: FunctionName, variant: FunctionBundleVariant): string {
  return variant.tracing ? `${name}-traced` : name;
}

/** The esbuild output for one function, rebuilt only when one of its input files (or the options) changed. */
function bundledCode(name: FunctionName, variant: FunctionBundleVariant): { dir: string; key: string } {
  mkdirSync(CODE_DIR, { recursive: true });
  const prefix = cachePrefix(name, variant);
  const manifestPath = join(CODE_DIR, `${prefix}.inputs.json`);
  const previous = readManifest(manifestPath);
  if (previous && inputsKey(previous.inputs, variant) === previous.key) {
    const dir = join(CODE_DIR, `${prefix}-${previous.key}`);
    if (existsSync(join(dir, OUTPUT_FILE))) return { dir, key: previous.key };
  }

  const staging = stagingDir(CODE_DIR, prefix);
  const options = functionBundleOptions(join("functions", `${name}.ts`), join(staging, OUTPUT_FILE), variant);
  let result: ReturnType<typeof buildSync>;
  try {
    result = buildSync({ ...options, absWorkingDir: PROJECT_ROOT });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const inputs = Object.keys(result.metafile?.inputs ?? {}).sort();
  const key = inputsKey(inputs, variant);
  const dir = join(CODE_DIR, `${prefix}-${key}`);
  publish(staging, dir);
  prune(CODE_DIR, new RegExp(`^${prefix}-(?!${key}$)[0-9a-f]{64}$`));
  writeAtomically(manifestPath, JSON.stringify({ key, inputs } satisfies InputsManifest));
  return { dir, key };
}

/** Hash of the build recipe (tracing's define included) plus every input file's content; non-files count by name. */
function inputsKey(inputs: readonly string[], variant: FunctionBundleVariant): string {
  const hash = createHash("sha256");
  hash.update(`esbuild ${esbuildVersion}\n`);
  hash.update(JSON.stringify(functionBundleOptions("<entry>", "<out>", variant)));
  for (const input of inputs) {
    hash.update(`\0${input}\0`);
    const path = join(PROJECT_ROOT, input);
    if (existsSync(path)) hash.update(readFileSync(path));
  }
  return hash.digest("hex");
}

function readManifest(path: string): InputsManifest | undefined {
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as Partial<InputsManifest>;
    return typeof value.key === "string" && Array.isArray(value.inputs)
      ? { key: value.key, inputs: value.inputs }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Moves a finished staging directory into place; if another process got there first, its copy is as good. */
function publish(staging: string, dir: string): void {
  try {
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(dir)) throw error;
  }
}

/** Each source edit would otherwise leave a multi-megabyte bundle behind; `stale` matches the outdated ones. */
function prune(parent: string, stale: RegExp): void {
  for (const entry of readdirSync(parent)) {
    if (stale.test(entry)) rmSync(join(parent, entry), { recursive: true, force: true });
  }
}

/** Lambda runs code as another user: the asset directory must be readable by all, not mkdtemp's 0700. */
function stagingDir(parent: string, name: string): string {
  const dir = mkdtempSync(join(parent, `.tmp-${name}-`));
  chmodSync(dir, 0o755);
  return dir;
}

/** Every config variant shares the code files; a hard link saves copying 20 MB per synth. */
function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
