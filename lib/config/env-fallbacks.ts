import type { z } from "zod";
import type { ConfigIssue } from "./config-error.ts";
import { type AccountFields, accountFieldsShape } from "./file-schema.ts";

export type Env = Readonly<Record<string, string | undefined>>;

/** A variable's value, trimmed; one set to nothing but whitespace counts as unset (a stray `VAR= ` in a .env file). */
export function envValue(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

type Parsed = { ok: true; value: unknown } | { ok: false; expected: string };

interface EnvFallback {
  key: keyof AccountFields;
  /** The first one set wins. */
  vars: readonly string[];
  /** From text to the key's type; the key's own schema checks the result. */
  parse?: (text: string, name: string) => Parsed;
}

/** The seed's env fallbacks, each mapped to the key it stands in for. */
const ENV_FALLBACKS: readonly EnvFallback[] = [
  { key: "accountSid", vars: ["TWILIO_ACCOUNT_SID"] },
  // The token stays a reference: its value is read where it is used, never copied into config.
  {
    key: "authToken",
    vars: ["TWILIO_AUTH_TOKEN"],
    parse: (_text, name) => ({ ok: true, value: { source: "env", id: name } }),
  },
  { key: "fromNumber", vars: ["TWILIO_PHONE_NUMBER", "TWILIO_SMS_FROM"] },
  { key: "messagingServiceSid", vars: ["TWILIO_MESSAGING_SERVICE_SID"] },
  { key: "publicWebhookUrl", vars: ["SMS_PUBLIC_WEBHOOK_URL"] },
  { key: "webhookPath", vars: ["SMS_WEBHOOK_PATH"] },
  // Entries are checked one by one where allowFrom is, each named SMS_ALLOWED_USERS[i].
  { key: "allowFrom", vars: ["SMS_ALLOWED_USERS"], parse: (text) => ({ ok: true, value: commaList(text) }) },
  { key: "textChunkLimit", vars: ["SMS_TEXT_CHUNK_LIMIT"], parse: wholeNumber },
  { key: "dangerouslyDisableSignatureValidation", vars: ["SMS_DANGEROUSLY_DISABLE_SIGNATURE_VALIDATION"], parse: flag },
];

export interface EnvAccountFields {
  fields: AccountFields;
  /** Which variable each key came from, so a problem with its value names the variable. */
  sources: Partial<Record<keyof AccountFields, string>>;
  /** Variables whose value was refused (and reported): what follows from the missing key only restates that. */
  rejected: ReadonlySet<string>;
}

/**
 * The default account's values from the environment (the seed gives them to that account only), for the keys
 * `wanted` says the config file leaves open. Each value is checked with its key's own schema; a bad one is an issue
 * naming the variable and is left out.
 */
export function envAccountFields(
  env: Env,
  wanted: (key: keyof AccountFields) => boolean,
  issues: ConfigIssue[],
): EnvAccountFields {
  const fields: Record<string, unknown> = {};
  const sources: EnvAccountFields["sources"] = {};
  const rejected = new Set<string>();
  for (const { key, vars, parse } of ENV_FALLBACKS) {
    const name = vars.find((candidate) => envValue(env, candidate) !== undefined);
    if (name === undefined || !wanted(key)) continue;
    const text = envValue(env, name) as string;
    const parsed = parse ? parse(text, name) : { ok: true as const, value: text };
    const checked = parsed.ok ? (accountFieldsShape[key] as z.ZodType).safeParse(parsed.value) : undefined;
    sources[key] = name;
    if (checked?.success) {
      fields[key] = checked.data;
    } else {
      const expected = parsed.ok ? (checked?.error.issues[0]?.message ?? "a valid value") : parsed.expected;
      issues.push({ path: name, message: `${expected}, got ${JSON.stringify(text)}` });
      rejected.add(name);
    }
  }
  return { fields: fields as AccountFields, sources, rejected };
}

function commaList(text: string): string[] {
  return text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

function wholeNumber(text: string): Parsed {
  return /^\d+$/.test(text) ? { ok: true, value: Number(text) } : { ok: false, expected: "expected a whole number" };
}

function flag(text: string): Parsed {
  const value = text.toLowerCase();
  if (value === "true" || value === "false") return { ok: true, value: value === "true" };
  return { ok: false, expected: 'expected "true" or "false"' };
}
