import { quietSdkNodeNotice } from "../runtime/node-support.ts";
import type { CliIo } from "./io.ts";
import { runSmsctl } from "./run.ts";

/** `smsctl` entry point (bin/smsctl.js, or `npm run smsctl --`). */
const io: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  fetch: globalThis.fetch,
  now: Date.now,
  confirm: async (question) => {
    if (!process.stdin.isTTY) return false;
    const { createInterface } = await import("node:readline/promises");
    const terminal = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await terminal.question(`${question} [y/N] `)).trim());
    } finally {
      terminal.close();
    }
  },
  // Loaded only for a deployed admin URL: the credential chain is a large import.
  credentials: async () => {
    const { defaultProvider } = await import("@aws-sdk/credential-provider-node");
    return defaultProvider()();
  },
};

quietSdkNodeNotice();
process.exitCode = await runSmsctl(process.argv.slice(2), io);
