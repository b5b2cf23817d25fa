import { readFileSync } from "node:fs";
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

const TRANSPORT_NOTE = [
  "By default smsctl talks to the local gateway (npm start) at http://127.0.0.1:$PORT/admin with the token in",
  "$SMS_DATA_DIR/admin-token. With --url or SMS_ADMIN_URL set to the stack's AdminUrl output, it signs requests",
  "with your AWS credentials (SigV4, the usual AWS_PROFILE / AWS_REGION / credential chain).",
].join("\n");

/** `smsctl --version`: the package's name and version. */
export function versionText(): string {
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    name: string;
    version: string;
  };
  return `smsctl (${manifest.name}) ${manifest.version}`;
}

export function rootHelp(): string {
  const rows = COMMANDS.map((command) => [usageWords(command), command.summary]);
  return [
    "smsctl: operate the SMS channel (pairing, allowlist, sends, status, config)",
    "",
    "Usage: smsctl <command> [options]",
    "",
    "Commands:",
    columns(rows),
    "",
    "Global options:",
    columns(optionRows({ ...ADMIN_OPTIONS, ...GLOBAL_OPTIONS, version: VERSION_OPTION })),
    "",
    TRANSPORT_NOTE,
    "",
    'Run "smsctl <command> --help" (or "smsctl help <command>") for a command\'s options.',
  ].join("\n");
}

export function groupHelp(word: string): string {
  const commands = groupOf(word);
  return [
    `Usage: smsctl ${word} <${commands.map((command) => command.words[1]).join("|")}> [options]`,
    "",
    "Commands:",
    columns(commands.map((command) => [usageWords(command), command.summary])),
    "",
    `Run "smsctl ${word} <command> --help" for a command's options.`,
  ].join("\n");
}

export function commandHelp(command: CommandSpec): string {
  const lines = [`Usage: smsctl ${usageWords(command)} [options]`, "", `${capitalise(command.summary)}.`];
  if (command.details) lines.push("", wrap(command.details));
  if (command.positionals.length > 0) {
    lines.push("", "Arguments:", columns(command.positionals.map((arg) => [arg.name, arg.description])));
  }
  if (Object.keys(command.options).length > 0) lines.push("", "Options:", columns(optionRows(command.options)));
  lines.push("", "Global options:", columns(optionRows(sharedOptions(command))));
  if (command.examples && command.examples.length > 0) {
    lines.push("", "Examples:", ...command.examples.map((example) => `  ${example}`));
  }
  return lines.join("\n");
}

function usageWords(command: CommandSpec): string {
  const positionals = command.positionals.map((arg) => `<${arg.name}>`);
  const required = Object.entries(command.options)
    .filter(([, spec]) => spec.required)
    .map(([name, spec]) => `--${name} <${spec.valueName ?? name}>`);
  return [...command.words, ...positionals, ...required].join(" ");
}

function optionRows(options: Record<string, OptionSpec>): string[][] {
  return Object.entries(options).map(([name, spec]) => [
    `${spec.short ? `-${spec.short}, ` : ""}${spec.type === "string" ? `--${name} <${spec.valueName ?? name}>` : `--${name}`}`,
    `${spec.description}${spec.required ? " (required)" : ""}`,
  ]);
}

/** Two aligned columns, indented by two spaces. */
function columns(rows: string[][]): string {
  const width = Math.max(...rows.map((row) => (row[0] ?? "").length));
  return rows.map(([left = "", right = ""]) => `  ${left.padEnd(width)}  ${right}`.trimEnd()).join("\n");
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function wrap(text: string, width = 100): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  if (line !== "") lines.push(line);
  return lines.join("\n");
}
