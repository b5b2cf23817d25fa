import { type ParseArgsConfig, parseArgs } from "node:util";
import {
  ADMIN_OPTIONS,
  COMMANDS,
  type CommandSpec,
  GLOBAL_OPTIONS,
  groupOf,
  type OptionSpec,
  sharedOptions,
  VERSION_OPTION,
} from "./commands.ts";
import { commandHelp, groupHelp, rootHelp, versionText } from "./help.ts";

export type OptionValue = string | boolean | string[] | undefined;

export interface CommandLine {
  command: CommandSpec;
  /** Positional arguments after the command words, one per `command.positionals`. */
  args: string[];
  options: Record<string, OptionValue>;
  json: boolean;
  url?: string;
}

export type ParsedCommandLine =
  | { kind: "command"; line: CommandLine }
  | { kind: "help"; text: string }
  | { kind: "usage-error"; message: string; help: string };

/**
 * Finds the command named by the leading words, then parses its options strictly (node:util parseArgs), so an
 * unknown option or a missing value is reported against the command that was meant.
 */
export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  const loose = looseParse(argv);
  if (loose.values.version === true) return { kind: "help", text: versionText() };
  // `smsctl help [command words]` is `smsctl [command words] --help`.
  if (loose.positionals[0] === "help") return parseCommandLine([...argv.filter((arg) => arg !== "help"), "--help"]);
  const wantsHelp = loose.values.help === true;
  const [first, second] = loose.positionals;

  if (first === undefined) {
    return wantsHelp ? { kind: "help", text: rootHelp() } : usageError("expected a command", rootHelp());
  }
  const group = groupOf(first);
  let command: CommandSpec | undefined;
  if (group.length > 0) {
    command = group.find((candidate) => candidate.words[1] === second);
    if (!command) {
      if (wantsHelp && second === undefined) return { kind: "help", text: groupHelp(first) };
      const names = group.map((candidate) => candidate.words[1]).join(", ");
      const problem =
        second === undefined ? `"${first}" needs a subcommand: ${names}` : `unknown command "${first} ${second}"`;
      return usageError(problem, groupHelp(first));
    }
  } else {
    command = COMMANDS.find((candidate) => candidate.words.length === 1 && candidate.words[0] === first);
    if (!command) return usageError(`unknown command "${first}"`, rootHelp());
  }
  if (wantsHelp) return { kind: "help", text: commandHelp(command) };
  return parseForCommand(command, argv);
}

function parseForCommand(command: CommandSpec, argv: readonly string[]): ParsedCommandLine {
  const help = commandHelp(command);
  if (command.localOnly && argv.some((arg) => arg === "--url" || arg.startsWith("--url="))) {
    return usageError(`--url does not apply to ${command.words.join(" ")}: ${command.localOnly}`, help);
  }
  let parsed: ReturnType<typeof strictParse>;
  try {
    parsed = strictParse(argv, { ...sharedOptions(command), ...command.options });
  } catch (error) {
    const message = firstSentence(error instanceof Error ? error.message : String(error));
    return usageError(`${message.charAt(0).toLowerCase()}${message.slice(1)}`, help);
  }
  const args = parsed.positionals.slice(command.words.length);
  const missing = command.positionals[args.length];
  if (missing) return usageError(`missing <${missing.name}>: ${missing.description}`, help);
  const extra = args[command.positionals.length];
  if (extra !== undefined) return usageError(`unexpected argument "${extra}"`, help);

  for (const [name, spec] of Object.entries(command.options)) {
    const value = parsed.values[name];
    if (spec.required && value === undefined) return usageError(`missing --${name} <${spec.valueName ?? name}>`, help);
  }
  const { json, url, help: _help, ...options } = parsed.values;
  return {
    kind: "command",
    line: {
      command,
      args,
      options,
      json: json === true,
      ...(typeof url === "string" ? { url } : {}),
    },
  };
}

function usageError(message: string, help: string): ParsedCommandLine {
  return { kind: "usage-error", message, help };
}

type ParseOptions = NonNullable<ParseArgsConfig["options"]>;

function toParseOptions(specs: Record<string, OptionSpec>): ParseOptions {
  const options: ParseOptions = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = {
      type: spec.type,
      ...(spec.multiple ? { multiple: true } : {}),
      ...(spec.short ? { short: spec.short } : {}),
    };
  }
  return options;
}

/** Every option of every command, leniently: only to find the command words and --help. */
function looseParse(argv: readonly string[]) {
  const all: Record<string, OptionSpec> = { ...ADMIN_OPTIONS, ...GLOBAL_OPTIONS, version: VERSION_OPTION };
  for (const command of COMMANDS) Object.assign(all, command.options);
  return parseArgs({ args: [...argv], options: toParseOptions(all), strict: false, allowPositionals: true });
}

function strictParse(argv: readonly string[], specs: Record<string, OptionSpec>) {
  const result = parseArgs({ args: [...argv], options: toParseOptions(specs), strict: true, allowPositionals: true });
  return { positionals: result.positionals, values: result.values as Record<string, OptionValue> };
}

/** parseArgs explains `--` escapes at length; the first sentence says what is wrong. */
function firstSentence(message: string): string {
  const end = message.indexOf(". ");
  return end === -1 ? message : message.slice(0, end);
}
