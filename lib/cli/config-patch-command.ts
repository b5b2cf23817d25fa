import { readFileSync, renameSync, writeFileSync } from "node:fs";
import JSON5 from "json5";
import { ConfigError } from "../config/config-error.ts";
import { configPathFrom, parseConfigText, requireConfigFile } from "../config/load.ts";
import { CliError } from "./cli-error.ts";
import { planConfigPatch, redactSecrets, smsSectionOf } from "./config-patch.ts";
import { type CommandContext, printJson } from "./io.ts";

/** `config patch --file <f> [--dry-run]`: merge, validate, then show or write (keeping <file>.bak). */
export async function runConfigPatch({ line, io }: CommandContext): Promise<number> {
  const patchPath = String(line.options.file);
  // A new file is written only at the default path: an SMS_CONFIG that names nothing is more likely a typo.
  requireConfigFile(io.env);
  const configPath = configPathFrom(io.env);
  const patchText = readText(patchPath);
  if (patchText === undefined) throw new CliError(`--file: cannot read ${patchPath}: no such file`);
  const baseText = readText(configPath);

  const patch = parseConfigText(patchText, patchPath);
  const base = baseText === undefined ? undefined : parseConfigText(baseText, configPath);
  const plan = planConfigPatch(base, patch, io.env);
  const section = redactSecrets(smsSectionOf(plan.merged));

  if (plan.issues.length > 0) {
    if (line.json) printJson(io, { file: configPath, valid: false, issues: plan.issues });
    throw new ConfigError(plan.issues, `config after applying ${patchPath} to ${configPath}`);
  }
  const dryRun = line.options["dry-run"] === true;
  if (line.json) {
    printJson(io, { file: configPath, valid: true, dryRun, changes: plan.changes, channels: { sms: section } });
  }

  if (dryRun) {
    if (!line.json) {
      io.out(
        [
          `Dry run: ${configPath} is not changed.`,
          describeChanges(plan.changes),
          "Resulting channels.sms:",
          JSON5.stringify(section ?? {}, { space: 2, quote: '"' }),
        ].join("\n"),
      );
    }
    return 0;
  }
  if (plan.changes.length === 0) {
    if (!line.json) io.out(`No changes: ${configPath} already has these values.`);
    return 0;
  }

  const backup = `${configPath}.bak`;
  if (baseText !== undefined) writeOwnerOnly(backup, baseText);
  writeOwnerOnly(configPath, render(plan.merged, baseText === undefined ? undefined : backup));
  if (!line.json) {
    io.out(
      [
        `Updated ${configPath}${baseText === undefined ? " (new file)" : ` (previous version: ${backup})`}.`,
        describeChanges(plan.changes),
        "Restart the local gateway (npm start) or redeploy (npm run deploy) to apply it.",
      ].join("\n"),
    );
  }
  return 0;
}

/**
 * Config files may hold an inline auth token: the new file and the backup are created readable by their owner only,
 * then renamed into place, so not even an older backup left readable by all ever holds the new text.
 */
function writeOwnerOnly(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, path);
}

function describeChanges(changes: string[]): string {
  return changes.length === 0 ? "No keys change." : `Changed keys:\n${changes.map((path) => `  ${path}`).join("\n")}`;
}

function render(config: Record<string, unknown>, backup: string | undefined): string {
  const note = backup ? ` Comments of the previous file are in ${backup}.` : "";
  return `// Written by smsctl config patch.${note}\n${JSON5.stringify(config, { space: 2, quote: '"' })}\n`;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
}
