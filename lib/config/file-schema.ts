import { type core, z } from "zod";
import { agentSchema } from "./agent-schema.ts";
import { type ConfigIssue, formatKeyPath } from "./config-error.ts";
import { DM_POLICIES } from "./policy.ts";
import { secretRefSchema } from "./secret-ref-schema.ts";

/** Shapes of `channels.sms` as users write it (the seed's keys). Cross-field rules live in resolve.ts. */

const rateLimitSchema = z.strictObject({
  perSenderPerMinute: z.number().int().min(1).max(10_000).optional(),
  // Each message counted in a minute adds a ~30-byte counter to the account's access item (400 KB at most).
  perAccountPerMinute: z
    .number()
    .int()
    .min(1)
    .max(5_000, "expected at most 5000 (the per-minute counters live in one DynamoDB item)")
    .optional(),
});

export const accountFieldsShape = {
  enabled: z.boolean().optional(),
  accountSid: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, "expected a Twilio Account SID: AC followed by 32 hex characters")
    .optional(),
  authToken: z
    .union([z.string().min(1, "expected a non-empty auth token"), secretRefSchema], {
      error: 'expected a non-empty auth token or a SecretRef such as { source: "aws", id: "prod/twilio" }',
    })
    .optional(),
  fromNumber: z.string().optional(),
  messagingServiceSid: z
    .string()
    .regex(/^MG[0-9a-fA-F]{32}$/, "expected a Messaging Service SID: MG followed by 32 hex characters")
    .optional(),
  publicWebhookUrl: z.string().optional(),
  webhookPath: z
    .string()
    .regex(/^\/[A-Za-z0-9._~\-/]*$/, "expected a path starting with / (letters, digits, . _ ~ - /)")
    .optional(),
  dmPolicy: z.enum(DM_POLICIES, { error: `expected one of ${DM_POLICIES.join(", ")}` }).optional(),
  // Entries are checked one by one in resolve.ts, so each bad entry is named next to every other problem.
  allowFrom: z.array(z.unknown()).optional(),
  // Checked entry by entry in resolve.ts, like allowFrom.
  notifyTo: z.array(z.unknown()).optional(),
  defaultTo: z.string().optional(),
  textChunkLimit: z
    .number()
    .int()
    .min(2, "expected at least 2 (one character may take two UTF-16 units)")
    .max(1600, "expected at most 1600 (Twilio's body limit)")
    .optional(),
  dangerouslyDisableSignatureValidation: z.boolean().optional(),
  inboundRateLimit: rateLimitSchema.optional(),
  agent: agentSchema.optional(),
};

const accountSchema = z.strictObject(accountFieldsShape);

/** Deploy-wide operations settings (not per account): who hears of alarms, and whether X-Ray traces requests. */
const monitoringSchema = z.strictObject({
  alarmEmail: z
    .string()
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "expected an e-mail address to subscribe to the alarm topic")
    .optional(),
  tracing: z
    .boolean({ error: "expected true or false (X-Ray tracing of every function and the API stage)" })
    .optional(),
});

export const smsSectionSchema = z.strictObject({
  ...accountFieldsShape,
  monitoring: monitoringSchema.optional(),
  accounts: z
    .record(
      z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/i, "expected an account id of letters, digits, _ or -"),
      accountSchema,
    )
    .optional(),
  defaultAccount: z.string().optional(),
});

// Strict at the top, so a misspelt `channel:` is named rather than silently leaving channels.sms empty; other
// channels of a pasted OpenClaw config may sit beside sms.
export const configFileSchema = z.strictObject({
  channels: z.looseObject({ sms: smsSectionSchema.optional() }).optional(),
});

export type AccountFields = z.infer<typeof accountSchema>;
export type SmsSection = z.infer<typeof smsSectionSchema>;
export type ConfigFile = z.infer<typeof configFileSchema>;

export interface ConfigFileCheck {
  /** `channels.sms` with every rejected value removed; undefined when nothing is left to check (not an object). */
  section: SmsSection | undefined;
  issues: ConfigIssue[];
  /** Key paths of the removed values, so the cross-field checks can stay quiet about them. */
  rejected: ReadonlySet<string>;
}

/** Removing a value can in principle expose another problem; a few passes always settle a config file. */
const MAX_PASSES = 4;

/**
 * Checks the file's shape and, instead of stopping at the first bad value, removes every value the schema rejects so
 * the cross-field rules can still run on the rest and the user sees every problem at once.
 */
export function checkConfigFile(file: unknown): ConfigFileCheck {
  const issues: ConfigIssue[] = [];
  const rejected = new Set<string>();
  let input = file;
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    const parsed = configFileSchema.safeParse(input);
    if (parsed.success) return { section: parsed.data.channels?.sms ?? {}, issues, rejected };
    if (pass === 0) input = structuredClone(file);
    for (const issue of parsed.error.issues) {
      issues.push(...configIssuesOf(issue));
      for (const path of pathsToRemove(issue, input)) {
        if (path.length === 0) return { section: undefined, issues, rejected };
        removeAt(input, path);
        rejected.add(formatKeyPath(path));
      }
    }
  }
  return { section: undefined, issues, rejected };
}

/** zod's issue as the user reads it; an unknown top-level key is named as its own path (`channel: unknown key …`). */
function configIssuesOf(issue: core.$ZodIssue): ConfigIssue[] {
  if (issue.code === "unrecognized_keys" && issue.path.length === 0) {
    return issue.keys.map((key) => ({
      path: key,
      message: "unknown top-level key: expected channels, as in { channels: { sms: { ... } } }",
    }));
  }
  return [{ path: formatKeyPath(issue.path) || "(root)", message: messageOf(issue) }];
}

function messageOf(issue: core.$ZodIssue): string {
  // zod reports a bad record key as "Invalid key in record"; the key schema's own message says what is expected.
  if (issue.code === "invalid_key") return issue.issues[0]?.message ?? issue.message;
  return issue.message;
}

function pathsToRemove(issue: core.$ZodIssue, root: unknown): PropertyKey[][] {
  if (issue.code === "unrecognized_keys") return issue.keys.map((key) => [...issue.path, key]);
  // An array element goes with its whole array: removing one entry would renumber the entries after it.
  const firstIndex = issue.path.findIndex((segment) => typeof segment === "number");
  const path = firstIndex === -1 ? issue.path : issue.path.slice(0, firstIndex);
  // A required key that is missing cannot be removed: the object that lacks it goes instead.
  return [valueAt(root, path) === undefined ? path.slice(0, -1) : path];
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value: unknown = root;
  for (const segment of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = Reflect.get(value, segment);
  }
  return value;
}

function removeAt(root: unknown, path: ReadonlyArray<PropertyKey>): void {
  let parent: unknown = root;
  for (const segment of path.slice(0, -1)) {
    if (typeof parent !== "object" || parent === null) return;
    parent = Reflect.get(parent, segment);
  }
  const last = path.at(-1);
  if (typeof parent === "object" && parent !== null && last !== undefined) Reflect.deleteProperty(parent, last);
}
