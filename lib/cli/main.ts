import type { CliIo } from "./io.ts";
import { runSmsctl } from "./run.ts";

/** `smsctl` entry point (bin/smsctl.js, or `npm run smsctl --`). */
const io: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  fetch: globalThis.fetch,
  now: Date.now,
  // Loaded only for a deployed admin URL: the credential chain is a large import.
  credentials: async () => {
    const { defaultProvider } = await import("@aws-sdk/credential-provider-node");
    return defaultProvider()();
  },
};

process.exitCode = await runSmsctl(process.argv.slice(2), io);
