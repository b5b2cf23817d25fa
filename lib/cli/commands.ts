/** The smsctl command tree: names, options and help text. Pure data, shared by the parser and the help printer. */

export type CommandId =
  | "pairing.list"
  | "pairing.approve"
  | "pairing.deny"
  | "allow.list"
  | "allow.add"
  | "allow.remove"
  | "message.send"
  | "status"
  | "capabilities"
  | "conversation.show"
  | "conversation.reset"
  | "dlq.list"
  | "dlq.redrive"
  | "dlq.purge"
  | "webhook.set"
  | "config.patch"
  | "simulate";

export interface OptionSpec {
  type: "string" | "boolean";
  /** One-letter alias: `-h`. */
  short?: string;
  description: string;
  /** Shown in help: `--target <sms:+E164>`. */
  valueName?: string;
  required?: boolean;
  multiple?: boolean;
}

export interface CommandSpec {
  id: CommandId;
  /** Words after `smsctl`, e.g. ["pairing", "approve"]. */
  words: string[];
  summary: string;
  positionals: Array<{ name: string; description: string }>;
  options: Record<string, OptionSpec>;
  /** Extra paragraphs for `--help`. */
  details?: string;
  /** Works on this machine only, never through the admin API, and so takes no `--url`: what it works on instead. */
  localOnly?: string;
  examples?: string[];
}

/** Options every command takes. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  json: { type: "boolean", description: "print machine-readable JSON" },
  help: { type: "boolean", short: "h", description: "show help" },
};

/** Options of the commands that talk to the admin API. */
export const ADMIN_OPTIONS: Record<string, OptionSpec> = {
  url: {
    type: "string",
    valueName: "url",
    description: "admin API URL (default: SMS_ADMIN_URL, else the local gateway)",
  },
};

/** `--version` anywhere prints the version, as most CLIs do; listed in the root help only. */
export const VERSION_OPTION: OptionSpec = { type: "boolean", short: "v", description: "print smsctl's version" };

/** The options a command takes besides its own. */
export function sharedOptions(command: CommandSpec): Record<string, OptionSpec> {
  return command.localOnly ? GLOBAL_OPTIONS : { ...ADMIN_OPTIONS, ...GLOBAL_OPTIONS };
}

const ACCOUNT: OptionSpec = {
  type: "string",
  valueName: "id",
  description: "channel account (default: the config's defaultAccount)",
};

const DLQ_QUEUE: OptionSpec = {
  type: "string",
  valueName: "turns|replies",
  description: "one dead-letter queue (default: both)",
};

const PHONE: OptionSpec = {
  type: "string",
  valueName: "+E164",
  required: true,
  description: "the sender's number (sms: / twilio-sms: prefixes accepted)",
};

export const COMMANDS: readonly CommandSpec[] = [
  {
    id: "pairing.list",
    words: ["pairing", "list"],
    summary: "list open pairing requests (codes expire after 1 hour)",
    positionals: [],
    options: { account: ACCOUNT },
  },
  {
    id: "pairing.approve",
    words: ["pairing", "approve"],
    summary: "approve the sender behind a pairing code; they get a confirmation SMS",
    positionals: [{ name: "CODE", description: "the code from the pairing SMS (any case)" }],
    options: { account: ACCOUNT },
    examples: ["smsctl pairing approve ABCD2345"],
  },
  {
    id: "pairing.deny",
    words: ["pairing", "deny"],
    summary: "drop a pairing request without telling the sender",
    positionals: [{ name: "CODE", description: "the code from the pairing SMS (any case)" }],
    options: { account: ACCOUNT },
  },
  {
    id: "allow.list",
    words: ["allow", "list"],
    summary: "show the policy, the config's allowFrom and senders approved at runtime",
    positionals: [],
    options: { account: ACCOUNT },
  },
  {
    id: "allow.add",
    words: ["allow", "add"],
    summary: "approve a number without pairing",
    positionals: [{ name: "+E164", description: "the number (sms: / twilio-sms: prefixes accepted)" }],
    options: { account: ACCOUNT },
    examples: ["smsctl allow add +15557654321"],
  },
  {
    id: "allow.remove",
    words: ["allow", "remove"],
    summary: "revoke a runtime approval (allowFrom is changed in the config)",
    positionals: [{ name: "+E164", description: "the number (sms: / twilio-sms: prefixes accepted)" }],
    options: { account: ACCOUNT },
  },
  {
    id: "message.send",
    words: ["message", "send"],
    summary: "queue an SMS to a number through the replies queue",
    positionals: [],
    options: {
      target: {
        type: "string",
        valueName: "sms:+E164",
        required: true,
        description: "recipient: sms:+E164, twilio-sms:+E164 or +E164",
      },
      message: { type: "string", valueName: "text", required: true, description: "text (markdown is flattened)" },
      media: { type: "string", valueName: "https-url", multiple: true, description: "media URL (repeat, up to 10)" },
      account: ACCOUNT,
    },
    examples: ['smsctl message send --target sms:+15557654321 --message "hello"'],
  },
  {
    id: "status",
    words: ["status"],
    summary: "show each account's sender, webhook, policy and counts (--probe: ask Twilio)",
    positionals: [],
    options: {
      probe: {
        type: "boolean",
        description: "check the credentials, the number and its webhook URL and method at Twilio",
      },
      account: { ...ACCOUNT, description: "only this account (default: all)" },
    },
    details: "With --probe, exits 1 when any check fails.",
    examples: ["smsctl status --probe --json"],
  },
  {
    id: "webhook.set",
    words: ["webhook", "set"],
    summary: "point the account's Twilio number (or Messaging Service) at this channel's webhook, with POST",
    positionals: [],
    options: {
      account: ACCOUNT,
      "dry-run": { type: "boolean", description: "show what would change; change nothing at Twilio" },
    },
    details:
      'Sets the number\'s "A message comes in" URL and method (SmsUrl, SmsMethod) to the webhook URL that ' +
      "`status` shows, removing an SMS TwiML App that would override them. For a Messaging Service it sets the " +
      "service's inbound request URL, or, when the service defers to its numbers' webhooks, each number's; with " +
      "fromNumber too, also that number when it is not in the service. Prints each sender before and after; a " +
      "sender already set exactly so is left alone. Refused while the webhook URL is on 127.0.0.1 (set " +
      "publicWebhookUrl first) or the account is disabled.",
    examples: ["smsctl webhook set --dry-run", "smsctl webhook set --account support"],
  },
  {
    id: "capabilities",
    words: ["capabilities"],
    summary: "describe what the channel supports (media, limits, targets, policies)",
    positionals: [],
    options: {},
  },
  {
    id: "conversation.show",
    words: ["conversation", "show"],
    summary: "print what the agent remembers of a sender (the messages sent with each request)",
    positionals: [],
    options: { phone: PHONE, account: ACCOUNT },
    examples: ["smsctl conversation show --phone +15557654321"],
  },
  {
    id: "conversation.reset",
    words: ["conversation", "reset"],
    summary: "make the agent forget a sender's conversation (answered turns stay answered)",
    positionals: [],
    options: { phone: PHONE, account: ACCOUNT },
  },
  {
    id: "dlq.list",
    words: ["dlq", "list"],
    summary: "show what waits in the dead-letter queues: reason, age, account, masked number",
    positionals: [],
    options: { queue: DLQ_QUEUE, "show-body": { type: "boolean", description: "also print each message's text" } },
    details:
      "Reads up to 100 messages per queue (at most 10 per sender: a FIFO queue hands out one batch per group at a " +
      "time) and leaves them where they are.",
    examples: ["smsctl dlq list", "smsctl dlq list --queue replies --show-body"],
  },
  {
    id: "dlq.redrive",
    words: ["dlq", "redrive"],
    summary: "move dead letters back to their queue (a half-sent reply sends only the rest; no turn is answered twice)",
    positionals: [],
    options: {
      queue: DLQ_QUEUE,
      id: { type: "string", valueName: "message id", multiple: true, description: "only this message (repeatable)" },
    },
    details:
      "Each message goes back to its own queue in its FIFO group (its sender's order). The reply's replyId and the " +
      "turn's turnId keep it from being sent or answered twice: a reply resumes at its first unsent text, an " +
      "answered turn is not asked again, a failed turn is asked afresh. At most 1000 per queue per run.",
    examples: ["smsctl dlq redrive --queue replies", "smsctl dlq redrive --id 3f0c…"],
  },
  {
    id: "dlq.purge",
    words: ["dlq", "purge"],
    summary: "delete what waits in the dead-letter queues (asks first)",
    positionals: [],
    options: { queue: DLQ_QUEUE, yes: { type: "boolean", description: "do not ask" } },
    details: "Deleted messages are gone for good. At most 1000 per queue per run.",
    examples: ["smsctl dlq purge --queue turns --yes"],
  },
  {
    id: "config.patch",
    words: ["config", "patch"],
    summary: "merge a JSON5 patch into the local config file, validated",
    positionals: [],
    localOnly: "it edits the config file SMS_CONFIG names",
    options: {
      file: { type: "string", valueName: "patch.json5", required: true, description: "the patch to merge" },
      "dry-run": { type: "boolean", description: "print the resulting channels.sms section; change nothing" },
    },
    details:
      "The config file is SMS_CONFIG (default ./sms.config.json5). Objects merge key by key; arrays and values " +
      "replace; null removes a key. The result is validated (every problem is listed by key path) before " +
      "anything is written; the previous file is kept as <file>.bak. Comments in the file are not kept. " +
      "This edits the local file only: redeploy (npm run deploy) or restart (npm start) to apply it.",
    examples: [
      "smsctl config patch --file ./sms.patch.json5 --dry-run",
      "smsctl config patch --file ./sms.patch.json5",
    ],
  },
  {
    id: "simulate",
    words: ["simulate"],
    summary: "post a signed inbound SMS to the local gateway, as Twilio would",
    positionals: [],
    localOnly: "it posts to the local gateway on PORT (and HOST)",
    options: {
      from: { type: "string", valueName: "+E164", required: true, description: "the sender's number" },
      body: { type: "string", valueName: "text", required: true, description: "the message text" },
      to: {
        type: "string",
        valueName: "+E164",
        description: "the number written to (default: the account's fromNumber)",
      },
      account: ACCOUNT,
    },
    details:
      "Reads the config file (SMS_CONFIG), signs with the account's auth token (inline in the config, or " +
      "TWILIO_AUTH_TOKEN) over its publicWebhookUrl or http://$HOST:$PORT<webhookPath> (127.0.0.1 when HOST is " +
      "unset or 0.0.0.0), and posts to the local gateway there (PORT default 8787).",
    examples: ['smsctl simulate --from +15557654321 --body "hello"'],
  },
];

/** Top-level words with subcommands, for `smsctl pairing --help` and friendly errors. */
export function groupOf(word: string): CommandSpec[] {
  return COMMANDS.filter((command) => command.words.length > 1 && command.words[0] === word);
}
