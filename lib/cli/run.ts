import { ConfigError } from "../config/config-error.ts";
import { ADMIN_COMMAND_IDS, adminCommandHandler } from "./admin-commands.ts";
import { CliError } from "./cli-error.ts";
import { parseCommandLine } from "./command-line.ts";
import type { CommandId } from "./commands.ts";
import { runConfigPatch } from "./config-patch-command.ts";
import type { CliIo, CommandHandler } from "./io.ts";
import { runSimulate } from "./simulate.ts";

const HANDLERS: Record<CommandId, CommandHandler> = {
  ...(Object.fromEntries(ADMIN_COMMAND_IDS.map((id) => [id, adminCommandHandler(id)])) as Record<
    (typeof ADMIN_COMMAND_IDS)[number],
    CommandHandler
  >),
  "config.patch": runConfigPatch,
  simulate: runSimulate,
};

/** Runs one smsctl invocation and returns its exit code: 0 ok, 1 failed, 2 bad command line. */
export async function runSmsctl(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (parsed.kind === "help") {
    io.out(parsed.text);
    return 0;
  }
  if (parsed.kind === "usage-error") {
    io.err(`smsctl: ${parsed.message}\n\n${parsed.help}`);
    return 2;
  }
  try {
    return await HANDLERS[parsed.line.command.id]({ line: parsed.line, io });
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`smsctl: ${error.message}`);
      return error.exitCode;
    }
    if (error instanceof ConfigError) {
      io.err(`smsctl: ${error.message}`);
      return 1;
    }
    io.err(`smsctl: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}
