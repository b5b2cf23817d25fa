import type { AllowAdded, AllowList, AllowRemoved } from "../admin/allowlist.ts";
import type { Capabilities } from "../admin/capabilities.ts";
import type { ConversationReset, ConversationView } from "../admin/conversation.ts";
import type { DeadLetterList, DeadLettersPurged, DeadLettersRedriven } from "../admin/dead-letters.ts";
import type { PairingDecision, PairingList } from "../admin/pairing.ts";
import type { MessageQueued } from "../admin/send-message.ts";
import type { ChannelStatus } from "../admin/status.ts";
import { parsePhoneField, parseSmsTarget } from "../admin/target.ts";
import type { WebhookSetResult } from "../admin/webhook-set.ts";
import { type AdminRequest, callAdmin, resolveAdminEndpoint } from "./admin-client.ts";
import { CliError } from "./cli-error.ts";
import type { CommandLine } from "./command-line.ts";
import type { CommandId } from "./commands.ts";
import {
  formatAllowAdded,
  formatAllowList,
  formatAllowRemoved,
  formatCapabilities,
  formatConversation,
  formatConversationReset,
  formatDeadLetters,
  formatDeadLettersPurged,
  formatDeadLettersRedriven,
  formatMessageQueued,
  formatPairingApproved,
  formatPairingDenied,
  formatPairingList,
  formatStatus,
} from "./format.ts";
import { formatWebhookSet } from "./format-webhook.ts";
import { type CommandContext, type CommandHandler, printJson } from "./io.ts";

type AdminCommandId = Exclude<CommandId, "config.patch" | "simulate">;

interface AdminCommand {
  /** The admin API call for this command line; validates locally what it can, naming the flag. */
  request(line: CommandLine): AdminRequest;
  /** Human output; the JSON answer is printed as is with --json. */
  format(result: unknown, nowMs: number): string;
  /** Exit code for a successful call (status --probe fails when a check fails). */
  exitCode?(result: unknown): number;
  /** A destructive command asks this first, unless --yes. */
  confirmation?(line: CommandLine): string;
}

const ADMIN_COMMANDS: Record<AdminCommandId, AdminCommand> = {
  "pairing.list": {
    request: (line) => ({ method: "GET", path: "/pairing", query: { account: stringOption(line, "account") } }),
    format: (result, nowMs) => formatPairingList(result as PairingList, nowMs),
  },
  "pairing.approve": {
    request: (line) => ({ method: "POST", path: "/pairing/approve", body: codeBody(line) }),
    format: (result) => formatPairingApproved(result as PairingDecision),
  },
  "pairing.deny": {
    request: (line) => ({ method: "POST", path: "/pairing/deny", body: codeBody(line) }),
    format: (result) => formatPairingDenied(result as PairingDecision),
  },
  "allow.list": {
    request: (line) => ({ method: "GET", path: "/allow", query: { account: stringOption(line, "account") } }),
    format: (result) => formatAllowList(result as AllowList),
  },
  "allow.add": {
    request: (line) => ({ method: "POST", path: "/allow/add", body: phoneBody(line) }),
    format: (result) => formatAllowAdded(result as AllowAdded),
  },
  "allow.remove": {
    request: (line) => ({ method: "POST", path: "/allow/remove", body: phoneBody(line) }),
    format: (result) => formatAllowRemoved(result as AllowRemoved),
  },
  "message.send": {
    request: (line) => ({ method: "POST", path: "/messages", body: messageBody(line) }),
    format: (result) => formatMessageQueued(result as MessageQueued),
  },
  status: {
    request: (line) => ({
      method: "GET",
      path: "/status",
      query: { account: stringOption(line, "account"), probe: line.options.probe === true ? "1" : undefined },
    }),
    format: (result) => formatStatus(result as ChannelStatus),
    exitCode: (result) => ((result as ChannelStatus).ok === false ? 1 : 0),
  },
  "webhook.set": {
    request: (line) => ({
      method: "POST",
      path: "/webhook",
      body: withAccount(line, line.options["dry-run"] === true ? { dryRun: true } : {}),
    }),
    format: (result) => formatWebhookSet(result as WebhookSetResult),
  },
  capabilities: {
    request: () => ({ method: "GET", path: "/capabilities" }),
    format: (result) => formatCapabilities(result as Capabilities),
  },
  "conversation.show": {
    request: (line) => ({ method: "GET", path: "/conversation", query: { ...phoneOption(line) } }),
    format: (result) => formatConversation(result as ConversationView),
  },
  "conversation.reset": {
    request: (line) => ({ method: "POST", path: "/conversation/reset", body: phoneOption(line) }),
    format: (result) => formatConversationReset(result as ConversationReset),
  },
  "dlq.list": {
    request: (line) => ({
      method: "GET",
      path: "/dlq",
      query: { queue: stringOption(line, "queue"), showBody: line.options["show-body"] === true ? "1" : undefined },
    }),
    format: (result) => formatDeadLetters(result as DeadLetterList),
  },
  "dlq.redrive": {
    request: (line) => {
      const ids = line.options.id;
      const queue = stringOption(line, "queue");
      return {
        method: "POST",
        path: "/dlq/redrive",
        body: { ...(queue ? { queue } : {}), ...(Array.isArray(ids) && ids.length > 0 ? { ids } : {}) },
      };
    },
    format: (result) => formatDeadLettersRedriven(result as DeadLettersRedriven),
    exitCode: (result) => ((result as DeadLettersRedriven).notFound.length > 0 ? 1 : 0),
  },
  "dlq.purge": {
    request: (line) => {
      const queue = stringOption(line, "queue");
      return { method: "POST", path: "/dlq/purge", body: queue ? { queue } : {} };
    },
    format: (result) => formatDeadLettersPurged(result as DeadLettersPurged),
    confirmation: (line) =>
      `Delete every message in the ${stringOption(line, "queue") ?? "turns and replies"} dead-letter queue(s) for good?`,
  },
};

/** The admin API request a command line turns into (exported for tests). */
export function adminRequestFor(line: CommandLine): AdminRequest {
  return ADMIN_COMMANDS[line.command.id as AdminCommandId].request(line);
}

export function adminCommandHandler(id: AdminCommandId): CommandHandler {
  const command = ADMIN_COMMANDS[id];
  return async ({ line, io }: CommandContext) => {
    const request = command.request(line);
    if (command.confirmation && line.options.yes !== true && !(await io.confirm(command.confirmation(line)))) {
      throw new CliError("nothing deleted (answer y, or pass --yes where no one can be asked)", 1);
    }
    const endpoint = resolveAdminEndpoint(line.url, io.env);
    const result = await callAdmin(endpoint, request, { fetch: io.fetch, credentials: io.credentials });
    if (line.json) printJson(io, result);
    else io.out(command.format(result, io.now()));
    return command.exitCode?.(result) ?? 0;
  };
}

export const ADMIN_COMMAND_IDS = Object.keys(ADMIN_COMMANDS) as AdminCommandId[];

function stringOption(line: CommandLine, name: string): string | undefined {
  const value = line.options[name];
  return typeof value === "string" ? value : undefined;
}

function withAccount(line: CommandLine, body: Record<string, unknown>): Record<string, unknown> {
  const account = stringOption(line, "account");
  return account === undefined ? body : { ...body, account };
}

/** `--phone` (and `--account`), checked here so a typo is named before any request. */
function phoneOption(line: CommandLine): Record<string, string> {
  const parsed = parsePhoneField(stringOption(line, "phone") ?? "");
  if (!parsed.ok) throw new CliError(`--phone: ${parsed.problem}`, 2);
  const account = stringOption(line, "account");
  return account === undefined ? { phone: parsed.phone } : { phone: parsed.phone, account };
}

function codeBody(line: CommandLine): Record<string, unknown> {
  return withAccount(line, { code: line.args[0] ?? "" });
}

function phoneBody(line: CommandLine): Record<string, unknown> {
  const raw = line.args[0] ?? "";
  const parsed = parsePhoneField(raw);
  if (!parsed.ok) throw new CliError(`+E164: ${parsed.problem}`, 2);
  return withAccount(line, { phone: parsed.phone });
}

function messageBody(line: CommandLine): Record<string, unknown> {
  const target = parseSmsTarget(stringOption(line, "target") ?? "");
  if (!target.ok) throw new CliError(`--target: ${target.problem}`, 2);
  const media = line.options.media;
  return withAccount(line, {
    target: `sms:${target.phone}`,
    message: stringOption(line, "message") ?? "",
    ...(Array.isArray(media) && media.length > 0 ? { media } : {}),
  });
}
