import { normalisePhoneTarget } from "../access/phone.ts";
import { ConfigError, type ConfigIssue, formatKeyPath } from "./config-error.ts";
import { type AccountFields, configFileSchema, type SmsSection } from "./file-schema.ts";
import { DEFAULT_ACCOUNT_ID, DEFAULT_RATE_LIMITS, DEFAULT_WEBHOOK_PATH } from "./policy.ts";
import type { ResolvedAccount, ResolvedConfig } from "./types.ts";
import { checkPublicWebhookUrl } from "./webhook-url.ts";

export type Env = Readonly<Record<string, string | undefined>>;

const SECTION = "channels.sms";

/** The seed's env fallbacks; config keys win over them. */
const ENV_FALLBACKS: ReadonlyArray<{ key: keyof AccountFields; vars: string[] }> = [
  { key: "accountSid", vars: ["TWILIO_ACCOUNT_SID"] },
  { key: "fromNumber", vars: ["TWILIO_PHONE_NUMBER", "TWILIO_SMS_FROM"] },
  { key: "messagingServiceSid", vars: ["TWILIO_MESSAGING_SERVICE_SID"] },
  { key: "publicWebhookUrl", vars: ["SMS_PUBLIC_WEBHOOK_URL"] },
];

/** Keys that identify one endpoint and so are never inherited by named accounts. */
const NOT_INHERITED: ReadonlyArray<keyof AccountFields> = ["webhookPath", "publicWebhookUrl"];

/**
 * Turns a parsed config file plus the environment into validated accounts, or throws a ConfigError listing every
 * problem by key path.
 */
export function resolveConfig(file: unknown, env: Env = {}): ResolvedConfig {
  const parsed = configFileSchema.safeParse(file);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ path: formatKeyPath(issue.path) || "(root)", message: issue.message })),
    );
  }
  const section: SmsSection = parsed.data.channels?.sms ?? {};
  const issues: ConfigIssue[] = [];
  const top = withEnvFallbacks(section, env);
  const { accounts: named = {}, defaultAccount, ...topFields } = top;
  const accounts: ResolvedAccount[] = [];

  const topHasOwnSender = Boolean(topFields.fromNumber || topFields.messagingServiceSid);
  if (Object.keys(named).length === 0 || topHasOwnSender) {
    accounts.push(resolveAccount(DEFAULT_ACCOUNT_ID, topFields, SECTION, issues));
  }
  const inherited = Object.fromEntries(
    Object.entries(topFields).filter(([key]) => !NOT_INHERITED.includes(key as keyof AccountFields)),
  ) as AccountFields;
  for (const [id, fields] of Object.entries(named)) {
    const merged: AccountFields = {
      ...inherited,
      ...fields,
      webhookPath: fields.webhookPath ?? `${DEFAULT_WEBHOOK_PATH}/${id}`,
    };
    accounts.push(resolveAccount(id, merged, `${SECTION}.accounts.${id}`, issues));
  }

  checkDistinctPaths(accounts, issues);
  const chosenDefault = defaultAccount ?? accounts[0]?.id ?? DEFAULT_ACCOUNT_ID;
  if (!accounts.some((account) => account.id === chosenDefault)) {
    issues.push({
      path: `${SECTION}.defaultAccount`,
      message: `expected one of the configured accounts (${accounts.map((a) => a.id).join(", ") || "none"})`,
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return { defaultAccount: chosenDefault, accounts };
}

function withEnvFallbacks(section: SmsSection, env: Env): SmsSection {
  const out: SmsSection = { ...section };
  for (const { key, vars } of ENV_FALLBACKS) {
    const fromEnv = vars.map((name) => env[name]).find((value) => value !== undefined && value !== "");
    if (out[key] === undefined && fromEnv !== undefined) Object.assign(out, { [key]: fromEnv });
  }
  // The env token stays a reference: its value is read where it is used, never copied into config.
  if (out.authToken === undefined && env.TWILIO_AUTH_TOKEN) {
    out.authToken = { source: "env", id: "TWILIO_AUTH_TOKEN" };
  }
  return out;
}

function resolveAccount(id: string, fields: AccountFields, base: string, issues: ConfigIssue[]): ResolvedAccount {
  const at = (key: string) => `${base}.${key}`;
  const require = <T>(value: T | undefined, key: string, expected: string): T | undefined => {
    if (value === undefined) issues.push({ path: at(key), message: `required: expected ${expected}` });
    return value;
  };

  const accountSid = require(fields.accountSid, "accountSid", "a Twilio Account SID (or TWILIO_ACCOUNT_SID)") ?? "";
  const authTokenField = require(fields.authToken, "authToken", "a token or SecretRef (or TWILIO_AUTH_TOKEN)");
  const fromNumber = fields.fromNumber === undefined ? undefined : normalisePhoneTarget(fields.fromNumber);
  if (fields.fromNumber !== undefined && fromNumber === null) {
    issues.push({
      path: at("fromNumber"),
      message: `expected an E.164 number such as +15551234567, got "${fields.fromNumber}"`,
    });
  }
  if (!fields.fromNumber && !fields.messagingServiceSid) {
    issues.push({
      path: at("fromNumber"),
      message:
        "required: expected fromNumber or messagingServiceSid (or TWILIO_PHONE_NUMBER / TWILIO_MESSAGING_SERVICE_SID)",
    });
  }
  if (fields.publicWebhookUrl !== undefined) {
    const problem = checkPublicWebhookUrl(fields.publicWebhookUrl);
    if (problem) issues.push({ path: at("publicWebhookUrl"), message: problem });
  }
  const defaultTo = fields.defaultTo === undefined ? undefined : normalisePhoneTarget(fields.defaultTo);
  if (fields.defaultTo !== undefined && defaultTo === null) {
    issues.push({
      path: at("defaultTo"),
      message: `expected an E.164 number (sms: / twilio-sms: prefixes allowed), got "${fields.defaultTo}"`,
    });
  }

  const dmPolicy = fields.dmPolicy ?? "pairing";
  const allowFrom = normaliseAllowFrom(fields.allowFrom ?? [], at("allowFrom"), issues);
  if (dmPolicy === "allowlist" && !allowFrom.some((entry) => entry !== "*")) {
    issues.push({
      path: at("allowFrom"),
      message: 'dmPolicy "allowlist" needs at least one E.164 number in allowFrom',
    });
  }
  if (dmPolicy === "open" && !allowFrom.includes("*")) {
    issues.push({ path: at("allowFrom"), message: 'dmPolicy "open" needs "*" in allowFrom to confirm public access' });
  }

  return {
    id,
    enabled: fields.enabled ?? true,
    accountSid,
    authToken:
      authTokenField === undefined || typeof authTokenField === "string"
        ? { source: "inline", value: authTokenField ?? "" }
        : authTokenField,
    ...(fromNumber ? { fromNumber } : {}),
    ...(fields.messagingServiceSid ? { messagingServiceSid: fields.messagingServiceSid } : {}),
    ...(fields.publicWebhookUrl ? { publicWebhookUrl: fields.publicWebhookUrl } : {}),
    webhookPath: fields.webhookPath ?? DEFAULT_WEBHOOK_PATH,
    dmPolicy,
    allowFrom,
    ...(defaultTo ? { defaultTo } : {}),
    ...(fields.textChunkLimit ? { textChunkLimit: fields.textChunkLimit } : {}),
    dangerouslyDisableSignatureValidation: fields.dangerouslyDisableSignatureValidation ?? false,
    inboundRateLimit: { ...DEFAULT_RATE_LIMITS, ...fields.inboundRateLimit },
  };
}

function normaliseAllowFrom(entries: string[], path: string, issues: ConfigIssue[]): string[] {
  const out: string[] = [];
  entries.forEach((entry, index) => {
    if (entry.trim() === "*") {
      out.push("*");
      return;
    }
    const phone = normalisePhoneTarget(entry);
    if (phone === null) {
      issues.push({
        path: `${path}[${index}]`,
        message: `expected an E.164 number such as +15551234567 (sms: / twilio-sms: prefixes allowed) or "*", got "${entry}"`,
      });
    } else if (!out.includes(phone)) {
      out.push(phone);
    }
  });
  return out;
}

function checkDistinctPaths(accounts: ResolvedAccount[], issues: ConfigIssue[]): void {
  const owners = new Map<string, string>();
  for (const account of accounts) {
    const owner = owners.get(account.webhookPath);
    if (owner !== undefined) {
      const path = account.id === DEFAULT_ACCOUNT_ID ? SECTION : `${SECTION}.accounts.${account.id}`;
      issues.push({
        path: `${path}.webhookPath`,
        message: `"${account.webhookPath}" is already used by account "${owner}"; each account needs its own path`,
      });
    } else {
      owners.set(account.webhookPath, account.id);
    }
  }
}
