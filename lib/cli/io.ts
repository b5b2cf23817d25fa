import type { AwsCredentials } from "../aws/sigv4.ts";
import type { CommandLine } from "./command-line.ts";

/** Everything a command touches outside the file system, injectable so tests run commands in process. */
export interface CliIo {
  /** One line (or block) to stdout. */
  out(text: string): void;
  /** One line (or block) to stderr. */
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  fetch: typeof fetch;
  now(): number;
  /** Asks a yes/no question on the terminal; false when there is no terminal to ask on. */
  confirm(question: string): Promise<boolean>;
  /** The AWS credential chain; only used for a deployed admin URL. */
  credentials(): Promise<AwsCredentials>;
}

export interface CommandContext {
  line: CommandLine;
  io: CliIo;
}

/** A command's outcome is its exit code. */
export type CommandHandler = (context: CommandContext) => Promise<number>;

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
