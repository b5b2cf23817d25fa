import type { CliIo } from "../../lib/cli/io.ts";

/** smsctl's I/O with its output collected; `parts` sets how it reaches the network, credentials and the terminal. */
export function collectingCliIo(
  env: CliIo["env"],
  parts: Pick<CliIo, "fetch" | "now" | "confirm" | "credentials">,
): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (text) => out.push(text), err: (text) => err.push(text), env, ...parts };
  return { io, out, err };
}

/** smsctl's I/O for commands that must not reach anything: output collected, network and AWS credentials refused. */
export function offlineCliIo(env: CliIo["env"]): { io: CliIo; out: string[]; err: string[] } {
  return collectingCliIo(env, {
    fetch: async () => {
      throw new Error("no network");
    },
    now: () => 0,
    confirm: async () => false,
    credentials: async () => {
      throw new Error("no credentials");
    },
  });
}
