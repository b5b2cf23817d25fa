import type { AllowAdded, AllowList, AllowRemoved } from "../admin/allowlist.ts";
import type { Capabilities } from "../admin/capabilities.ts";
import type { ConversationReset, ConversationView } from "../admin/conversation.ts";
import type { DeadLetterList, DeadLettersPurged, DeadLettersRedriven } from "../admin/dead-letters.ts";
import type { PairingDecision, PairingList } from "../admin/pairing.ts";
import type { ProbeCheck } from "../admin/probe.ts";
import type { MessageQueued } from "../admin/send-message.ts";
import type { AccountStatus, ChannelStatus } from "../admin/status.ts";

/** Human-readable output of each command (what --json replaces). Pure: the clock is passed in. */

export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

/** "in 42 min", "in 1 h 5 min", "expired". */
export function timeUntil(isoTime: string, nowMs: number): string {
  const minutes = Math.floor((Date.parse(isoTime) - nowMs) / 60_000);
  if (minutes < 0) return "expired";
  if (minutes < 60) return `in ${minutes} min`;
  const rest = minutes % 60;
  return `in ${Math.floor(minutes / 60)} h${rest > 0 ? ` ${rest} min` : ""}`;
}

/** ISO time to the minute, in UTC: enough to tell entries apart without a timezone guess. */
export function shortTime(isoTime: string): string {
  return isoTime.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC");
}

export function formatPairingList(result: PairingList, nowMs: number): string {
  if (result.requests.length === 0) return `No open pairing requests for account "${result.account}".`;
  const rows = result.requests.map((request) => [
    request.code,
    request.phone,
    shortTime(request.createdAt),
    timeUntil(request.expiresAt, nowMs),
  ]);
  return [
    `Pairing requests for account "${result.account}":`,
    formatTable(["CODE", "PHONE", "REQUESTED", "EXPIRES"], rows),
    "",
    "Approve one with: smsctl pairing approve <CODE>",
  ].join("\n");
}

export function formatPairingApproved(result: PairingDecision): string {
  const head = `Approved ${result.phone} (code ${result.code}, account "${result.account}")`;
  return result.confirmationQueued === false
    ? `${head}.\nNote: the confirmation SMS could not be queued; tell them with: smsctl message send --target sms:${result.phone} --message "..."`
    : `${head}; a confirmation SMS is queued.`;
}

export function formatPairingDenied(result: PairingDecision): string {
  return `Denied pairing request ${result.code} from ${result.phone} (account "${result.account}"); no SMS was sent.`;
}

export function formatAllowList(result: AllowList): string {
  const lines = [`Account "${result.account}", dmPolicy ${result.policy}`, ""];
  lines.push(
    result.allowFrom.length === 0
      ? "Config allowFrom: (none)"
      : `Config allowFrom (edit the config to change): ${result.allowFrom.join(", ")}`,
  );
  lines.push("");
  if (result.approved.length === 0) {
    lines.push("Approved at runtime: (none)");
  } else {
    lines.push("Approved at runtime:");
    lines.push(
      formatTable(
        ["PHONE", "VIA", "SINCE"],
        result.approved.map((entry) => [entry.phone, entry.via, shortTime(entry.at)]),
      ),
    );
  }
  return lines.join("\n");
}

export function formatAllowAdded(result: AllowAdded): string {
  const head = result.alreadyApproved
    ? `${result.phone} was already approved for account "${result.account}" (via ${result.approved.via}).`
    : `Approved ${result.phone} for account "${result.account}".`;
  return result.warning ? `${head}\nNote: ${result.warning}` : head;
}

export function formatAllowRemoved(result: AllowRemoved): string {
  const head = `Removed the approval of ${result.phone} (account "${result.account}").`;
  return result.stillAllowedByConfig ? `${head}\nNote: the config's allowFrom still allows this number.` : head;
}

export function formatMessageQueued(result: MessageQueued): string {
  return `Queued ${result.replyId} to ${result.to} (account "${result.account}").`;
}

export function formatStatus(result: ChannelStatus): string {
  const blocks = result.accounts.map(formatAccountStatus);
  const { turns, replies } = result.deadLetters;
  blocks.push(
    turns + replies === 0
      ? "Dead-letter queues: empty."
      : `Dead-letter queues: ${turns} turn(s), ${replies} repl(y/ies) waiting: inspect them in the SQS console.`,
  );
  if (result.ok !== undefined) blocks.push(result.ok ? "Probe: all checks passed." : "Probe: some checks FAILED.");
  return blocks.join("\n\n");
}

function formatAccountStatus(account: AccountStatus): string {
  const sender =
    "fromNumber" in account.sender
      ? account.sender.fromNumber
      : `Messaging Service ${account.sender.messagingServiceSid}`;
  const rows = [
    ["enabled", account.enabled ? "yes" : "no"],
    ["dmPolicy", account.dmPolicy],
    ["sender", sender],
    ["webhook", `${account.webhookUrl} (POST)`],
    ["signatures", account.signatureValidation ? "validated" : "NOT VALIDATED (dangerouslyDisableSignatureValidation)"],
    ["allowFrom", `${account.allowFrom} in config`],
    ["approved", `${account.approved} at runtime`],
    ["pending", `${account.pending} pairing request(s)`],
    ["opted out", `${account.optedOut}`],
    ["dropped today", formatDrops(account.droppedToday)],
  ];
  const width = Math.max(...rows.map(([label = ""]) => label.length));
  const lines = [
    `Account "${account.id}"${account.default ? " (default)" : ""}`,
    ...rows.map(([label = "", value = ""]) => `  ${label.padEnd(width)}  ${value}`),
  ];
  if (account.probe) {
    lines.push("  probe:");
    lines.push(...account.probe.checks.map(formatCheck));
  }
  return lines.join("\n");
}

function formatDrops(drops: Record<string, number>): string {
  const entries = Object.entries(drops);
  return entries.length === 0 ? "0" : entries.map(([reason, count]) => `${count} (${reason})`).join(", ");
}

function formatCheck(check: ProbeCheck): string {
  const mark = check.skipped ? "-" : !check.ok ? "FAIL" : check.warning ? "WARN" : "ok";
  return `    ${mark.padEnd(4)}  ${check.name.padEnd(20)}  ${check.detail}`;
}

export function formatCapabilities(result: Capabilities): string {
  const rows = [
    ["channel", `${result.channel} (${result.provider})`],
    ["text", result.text ? "yes" : "no"],
    [
      "media",
      `inbound ${result.media.inbound ? "yes" : "no"}, outbound ${result.media.outbound ? "yes" : "no"}, ` +
        `up to ${result.media.maxPerMessage} per message`,
    ],
    ["maxBodyChars", `${result.maxBodyChars} per message (longer replies are split)`],
    ["markdown", result.markdown],
    ["policies", result.policies.join(", ")],
    ["targets", result.targets.join(", ")],
    ["accounts", result.accounts.map((id) => (id === result.defaultAccount ? `${id} (default)` : id)).join(", ")],
  ];
  const width = Math.max(...rows.map(([label = ""]) => label.length));
  return rows.map(([label = "", value = ""]) => `${label.padEnd(width)}  ${value}`).join("\n");
}

export function formatConversation(result: ConversationView): string {
  const head =
    `Conversation of ${result.phone} with account "${result.account}" (agent ${result.agent}, ` +
    `history ${result.history}; ${result.turnsHandled} turn(s) answered in the last 30 days)`;
  if (result.messages.length === 0) return `${head}\n(no messages remembered)`;
  const lines = result.messages.map(
    (message) => `${message.at}  ${message.role === "user" ? "them" : "agent"}: ${message.text}`,
  );
  return [head, ...lines].join("\n");
}

export function formatConversationReset(result: ConversationReset): string {
  return `Forgot ${result.cleared} message(s) of ${result.phone} (account "${result.account}"); answered turns stay answered.`;
}

export function formatDeadLetters(result: DeadLetterList): string {
  const more =
    result.notShown > 0
      ? `\n${result.notShown} more waiting, not shown (behind their sender's first messages, or past 100 per queue): ` +
        "redrive or purge, then list again"
      : "";
  if (result.letters.length === 0) return `The dead-letter queues are empty.${more}`;
  const lines = result.letters.map((letter) => {
    const who = [letter.account ? `account "${letter.account}"` : "no account", letter.number ?? "no number"];
    const head = `${letter.queue}  ${letter.id}  ${formatAge(letter.ageSeconds)} ago  ${who.join(", ")}`;
    const key = letter.key ? `\n    ${letter.queue === "turns" ? "turn" : "reply"} ${letter.key}` : "";
    const text = letter.text === undefined ? "" : `\n    text: ${JSON.stringify(letter.text)}`;
    return `${head}${key}\n    reason: ${letter.reason}${text}`;
  });
  return `${lines.join("\n")}${more}\nRedrive with: smsctl dlq redrive [--queue turns|replies] [--id <id>]`;
}

export function formatDeadLettersRedriven(result: DeadLettersRedriven): string {
  const moved =
    result.redriven.length === 0
      ? "Nothing to redrive."
      : `Redrove ${result.redriven.length} message(s): ${result.redriven.map((item) => `${item.queue} ${item.id}`).join(", ")}.`;
  const missing =
    result.notFound.length > 0
      ? `\nNot found: ${result.notFound.join(", ")} (already gone, or behind its sender's first message: redrive that first)`
      : "";
  const left = result.remaining > 0 ? `\n${result.remaining} still waiting in the dead-letter queue(s).` : "";
  return moved + missing + left;
}

export function formatDeadLettersPurged(result: DeadLettersPurged): string {
  const left = result.remaining > 0 ? ` ${result.remaining} still waiting: run it again.` : "";
  return `Deleted ${result.removed.turns} turn(s) and ${result.removed.replies} reply(ies) from the dead-letter queues.${left}`;
}

function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}
