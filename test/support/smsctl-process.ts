import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Runs `bin/smsctl.js` (what `npx smsctl` runs) as a separate process. */
export function smsctl(
  args: string[],
  env: Record<string, string>,
  /** Where it runs; default the checkout (./sms.config.json5 is read from here when SMS_CONFIG is unset). */
  cwd: string = REPO_ROOT,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(REPO_ROOT, "bin/smsctl.js"), ...args],
      { cwd, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
