import { execFile } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { type BuildOptions, build, type Metafile } from "esbuild";
import { FUNCTION_NAMES, type FunctionName, functionBundleOptions } from "../infra/bundle-options.ts";
import type { RuntimeConfig } from "../lib/config/types.ts";
import { printTable } from "./print-table.ts";

// Cold load of each Lambda bundle against two references built with the same esbuild options: a FLOOR that only
// imports and constructs the AWS SDK clients the function bundles (nothing can start faster and still talk to AWS),
// and the floor plus the whole `twilio` package (what using Twilio's SDK for the REST calls would cost).

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUNS = 15;
const INBOUND_GOAL_RATIO = 1.2;
const AGENT_GOAL_RATIO = 1.3;
const VARIANTS = ["real", "floor", "twilio"] as const;
type Variant = (typeof VARIANTS)[number];

/** SDK client package -> the client class a handler constructs from it. */
const CLIENT_CLASSES: Readonly<Record<string, string>> = {
  "@aws-sdk/client-dynamodb": "DynamoDBClient",
  "@aws-sdk/client-sqs": "SQSClient",
  "@aws-sdk/client-secrets-manager": "SecretsManagerClient",
  "@aws-sdk/client-bedrock-runtime": "BedrockRuntimeClient",
};

/** What the task names each function as needing; a bundle carrying more is pointed out, not failed. */
const EXPECTED_CLIENTS: Readonly<Record<FunctionName, readonly string[]>> = {
  // SNS only publishes pairing requests, loaded on the first one (as the agent loads Bedrock).
  inbound: [
    "@aws-sdk/client-dynamodb",
    "@aws-sdk/client-sqs",
    "@aws-sdk/client-secrets-manager",
    "@aws-sdk/client-sns",
  ],
  outbound: ["@aws-sdk/client-dynamodb", "@aws-sdk/client-sqs", "@aws-sdk/client-secrets-manager"],
  admin: ["@aws-sdk/client-dynamodb", "@aws-sdk/client-sqs", "@aws-sdk/client-secrets-manager"],
  agent: [
    "@aws-sdk/client-dynamodb",
    "@aws-sdk/client-sqs",
    "@aws-sdk/client-secrets-manager",
    "@aws-sdk/client-bedrock-runtime",
  ],
};

export interface ColdStartRow {
  fn: FunctionName;
  sdkClients: string[];
  bytes: Record<Variant, number>;
  /** Wall time of the import. */
  medianMs: Record<Variant, number>;
  /** CPU time (user + system, all threads) of the import: steadier than wall time on a busy machine. */
  medianCpuMs: Record<Variant, number>;
  /** Packages the real bundle carries beyond its floor, largest first (bytes in the output). */
  extraPackages: Array<{ name: string; bytes: number }>;
}

/** A minimal valid runtime config, so nothing fails for lack of env even if a module read it at import. */
const DUMMY_RUNTIME_CONFIG: RuntimeConfig = {
  version: 1,
  defaultAccount: "default",
  accounts: [
    {
      id: "default",
      enabled: true,
      accountSid: `AC${"0".repeat(32)}`,
      authToken: { source: "aws", provider: "stack", id: "default" },
      fromNumber: "+15005550006",
      webhookPath: "/webhooks/sms",
      dmPolicy: "pairing",
      allowFrom: [],
      dangerouslyDisableSignatureValidation: false,
      inboundRateLimit: { perSenderPerMinute: 30, perAccountPerMinute: 300 },
      agent: { kind: "echo" },
      agentConfigured: false,
    },
  ],
};

/** A Lambda-like bare environment: no NODE_OPTIONS (tsx's loader must not leak into the measured process). */
const CHILD_ENV: Record<string, string> = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "bench",
  AWS_SECRET_ACCESS_KEY: "bench",
  AWS_EC2_METADATA_DISABLED: "true",
  SMS_RUNTIME_CONFIG: JSON.stringify(DUMMY_RUNTIME_CONFIG),
  SMS_TABLE_NAME: "sms-channel",
  SMS_TURNS_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/000000000000/sms-channel-turns.fifo",
  SMS_REPLIES_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/000000000000/sms-channel-replies.fifo",
  SMS_REPLIES_DLQ_URL: "https://sqs.us-east-1.amazonaws.com/000000000000/sms-channel-replies-dlq.fifo",
  SMS_WEBHOOK_BASE_URL: "https://abc123.execute-api.us-east-1.amazonaws.com/prod",
  SMS_AUTH_TOKEN_SECRET_ARNS: JSON.stringify({
    default: "arn:aws:secretsmanager:us-east-1:000000000000:secret:sms-default-AbCdEf",
  }),
};

/**
 * Runs in a fresh `node` per sample: times the dynamic import alone (process start-up is the same for every
 * variant), and reports handles that would mean the import went to the network. (File reads are allowed: the SDK
 * clients the references construct look for shared config files, as they would on a first invocation.)
 */
const LOADER = `
const cpu = process.cpuUsage();
const start = process.hrtime.bigint();
await import(process.argv[1]);
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const used = process.cpuUsage(cpu);
const cpuMs = (used.user + used.system) / 1000;
const io = process.getActiveResourcesInfo().filter((kind) => /TCP|UDP|TLS|GetAddrInfo|Process/.test(kind));
console.log(JSON.stringify({ ms, cpuMs, io }));
`;

const execFileAsync = promisify(execFile);

export async function benchColdStart(): Promise<ColdStartRow[]> {
  const dir = await mkdtemp(join(tmpdir(), "sms-bench-cold-"));
  try {
    const rows: ColdStartRow[] = [];
    for (const fn of FUNCTION_NAMES) rows.push(await measureFunction(fn, dir));
    printRows(rows);
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function measureFunction(fn: FunctionName, dir: string): Promise<ColdStartRow> {
  const files: Record<Variant, string> = {
    real: join(dir, `${fn}.mjs`),
    floor: join(dir, `${fn}.floor.mjs`),
    twilio: join(dir, `${fn}.twilio.mjs`),
  };
  const real = await bundle(functionBundleOptions(join(PROJECT_ROOT, "functions", `${fn}.ts`), files.real));
  const sdkClients = sdkClientsIn(real, files.real);
  const floor = await bundle(fromSource(floorSource(sdkClients), `${fn}.floor.ts`, files.floor));
  await bundle(fromSource(twilioSource(sdkClients), `${fn}.twilio.ts`, files.twilio));

  const wall: Record<Variant, number[]> = { real: [], floor: [], twilio: [] };
  const cpu: Record<Variant, number[]> = { real: [], floor: [], twilio: [] };
  // One discarded round warms the page cache; then ABCABC... so machine noise hits the variants alike.
  for (const variant of VARIANTS) await loadOnce(files[variant]);
  for (let run = 0; run < RUNS; run++) {
    for (const variant of VARIANTS) {
      const sample = await loadOnce(files[variant]);
      wall[variant].push(sample.ms);
      cpu[variant].push(sample.cpuMs);
    }
  }

  const bytes = { real: 0, floor: 0, twilio: 0 };
  for (const variant of VARIANTS) bytes[variant] = (await stat(files[variant])).size;
  return {
    fn,
    sdkClients,
    bytes,
    medianMs: { real: median(wall.real), floor: median(wall.floor), twilio: median(wall.twilio) },
    medianCpuMs: { real: median(cpu.real), floor: median(cpu.floor), twilio: median(cpu.twilio) },
    extraPackages: extraPackages(packageBytes(real, files.real), packageBytes(floor, files.floor)),
  };
}

async function bundle(options: BuildOptions): Promise<Metafile> {
  const result = await build({ ...options, absWorkingDir: PROJECT_ROOT });
  if (!result.metafile) throw new Error("esbuild returned no metafile; bundle-options must keep metafile: true");
  return result.metafile;
}

/** The function's own options with a generated entry in place of a file, resolved from the project root. */
function fromSource(contents: string, sourcefile: string, outfile: string): BuildOptions {
  return {
    ...functionBundleOptions(sourcefile, outfile),
    entryPoints: undefined,
    stdin: { contents, sourcefile, resolveDir: PROJECT_ROOT, loader: "ts" },
  };
}

function clientImports(sdkClients: readonly string[]): string {
  return sdkClients.map((pkg) => `import { ${clientClass(pkg)} } from "${pkg}";`).join("\n");
}

function floorSource(sdkClients: readonly string[]): string {
  return `${clientImports(sdkClients)}
export const clients = [${sdkClients.map((pkg) => `new ${clientClass(pkg)}({})`).join(", ")}];
`;
}

function twilioSource(sdkClients: readonly string[]): string {
  return `${clientImports(sdkClients)}
import twilio from "twilio";
export const clients = [${sdkClients.map((pkg) => `new ${clientClass(pkg)}({})`).join(", ")}];
export const twilioClient = twilio("AC${"0".repeat(32)}", "bench-token");
`;
}

function clientClass(pkg: string): string {
  const name = CLIENT_CLASSES[pkg];
  if (!name) throw new Error(`bench/cold-start.ts: no client class known for ${pkg}; add it to CLIENT_CLASSES`);
  return name;
}

/** SDK client packages that put code into the output (inputs parsed but tree-shaken away do not count). */
function sdkClientsIn(metafile: Metafile, outfile: string): string[] {
  return [...packageBytes(metafile, outfile).keys()].filter((name) => name.startsWith("@aws-sdk/client-")).sort();
}

function packageBytes(metafile: Metafile, outfile: string): Map<string, number> {
  const output = Object.entries(metafile.outputs).find(([path]) => join(PROJECT_ROOT, path) === outfile)?.[1];
  if (!output) throw new Error(`esbuild metafile has no output ${outfile}`);
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    if (bytesInOutput === 0) continue;
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? "(this project)";
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return byPackage;
}

function extraPackages(real: Map<string, number>, floor: Map<string, number>): Array<{ name: string; bytes: number }> {
  return [...real]
    .map(([name, bytes]) => ({ name, bytes: bytes - (floor.get(name) ?? 0) }))
    .filter((entry) => entry.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
}

async function loadOnce(file: string): Promise<{ ms: number; cpuMs: number }> {
  const { stdout } = await execFileAsync(
    process.execPath,
    ["--input-type=module", "-e", LOADER, pathToFileURL(file).href],
    {
      env: CHILD_ENV,
      timeout: 60_000,
    },
  );
  const report = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as { ms?: number; cpuMs?: number; io?: string[] };
  if (typeof report.ms !== "number" || typeof report.cpuMs !== "number") {
    throw new Error(`no timing from loading ${file}: ${stdout}`);
  }
  if (report.io && report.io.length > 0) {
    throw new Error(`importing ${file} started network activity (${report.io.join(", ")})`);
  }
  return { ms: report.ms, cpuMs: report.cpuMs };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

function printRows(rows: readonly ColdStartRow[]): void {
  const load = loadavg()[0] ?? 0;
  console.log(
    `Machine: ${availableParallelism()} CPUs, load average ${load.toFixed(1)} (wall times are noisy when busy)`,
  );
  console.log(`Bundles built with infra/bundle-options.ts; load time = median of ${RUNS} fresh node processes each,`);
  console.log("variants interleaved. floor = only the SDK clients the bundle carries, constructed;");
  console.log('twilio = floor + `import twilio from "twilio"` with a client constructed.\n');

  console.log("Bundle size (.mjs, source map excluded)");
  printTable(
    ["function", "real", "floor", "+twilio", "real/floor", "real/twilio"],
    rows.map((row) => [
      row.fn,
      kb(row.bytes.real),
      kb(row.bytes.floor),
      kb(row.bytes.twilio),
      ratio(row.bytes.real, row.bytes.floor),
      ratio(row.bytes.real, row.bytes.twilio),
    ]),
  );

  for (const [title, pick] of [
    ["Cold load, wall time (import of the bundle in a fresh process)", (row: ColdStartRow) => row.medianMs],
    [
      "Cold load, CPU time of the same imports (less sensitive to other load on the machine)",
      (row: ColdStartRow) => row.medianCpuMs,
    ],
  ] as const) {
    console.log(`\n${title}`);
    printTable(
      ["function", "real", "floor", "+twilio", "real/floor", "real/twilio"],
      rows.map((row) => {
        const time = pick(row);
        return [
          row.fn,
          ms(time.real),
          ms(time.floor),
          ms(time.twilio),
          ratio(time.real, time.floor),
          ratio(time.real, time.twilio),
        ];
      }),
    );
  }

  console.log("\nSDK clients in each bundle, and what the real bundle adds over its floor (largest first)");
  for (const row of rows) {
    const short = row.sdkClients.map((pkg) => pkg.replace("@aws-sdk/client-", "")).join(", ");
    const unexpected = row.sdkClients.filter((pkg) => !EXPECTED_CLIENTS[row.fn].includes(pkg));
    const note = unexpected.length > 0 ? `  (more than it needs: ${unexpected.join(", ")})` : "";
    console.log(`  ${row.fn}: clients ${short}${note}`);
    const extras = row.extraPackages.slice(0, 6).map((entry) => `${entry.name} ${kb(entry.bytes)}`);
    console.log(`    adds: ${extras.join(", ") || "nothing"}`);
  }

  console.log("\nReference (from the task): importing the whole `twilio` package costs ~3.7 MB / ~190 ms.");
  for (const line of coldStartGoals(rows)) console.log(line);
}

/** Functions with a cold-start goal: their load time at most this many times their floor's. */
const GOAL_RATIOS: ReadonlyArray<[FunctionName, number]> = [
  ["inbound", INBOUND_GOAL_RATIO],
  ["agent", AGENT_GOAL_RATIO],
];

/** The verdict lines: wall time decides, as the goals are stated; CPU time is given beside it as the steadier view. */
export function coldStartGoals(rows: readonly ColdStartRow[]): string[] {
  return GOAL_RATIOS.map(([fn, goal]) => {
    const row = rows.find((candidate) => candidate.fn === fn);
    if (!row) return `GOAL MISSED: no ${fn} function was measured`;
    const wall = row.medianMs.real / row.medianMs.floor;
    const cpu = row.medianCpuMs.real / row.medianCpuMs.floor;
    const verdict = wall <= goal ? "GOAL MET" : "GOAL MISSED";
    const disagree = wall <= goal !== cpu <= goal ? "; wall and CPU disagree: noise" : "";
    return (
      `${verdict}: ${fn} cold load ${ms(row.medianMs.real)} is ${wall.toFixed(2)}x its floor ` +
      `${ms(row.medianMs.floor)} (goal <= ${goal}x; CPU time ${cpu.toFixed(2)}x${disagree})`
    );
  });
}
