import { normaliseWrittenPhone } from "../access/phone.ts";
import { checkOneTurnsConsumer, resolveAgent } from "./agent-config.ts";
import { ConfigError, type ConfigIssue } from "./config-error.ts";
import { type Env, envAccountFields } from "./env-fallbacks.ts";
import { type AccountFields, checkConfigFile, type SmsSection } from "./file-schema.ts";
import { accountKeyPath, DEFAULT_ACCOUNT_ID, DEFAULT_RATE_LIMITS, DEFAULT_WEBHOOK_PATH } from "./policy.ts";
import type { ResolvedAccount, ResolvedConfig } from "./types.ts";
import { checkPublicWebhookUrl } from "./webhook-url.ts";

export type { Env } from "./env-fallbacks.ts";

const SECTION = "channels.sms";

/** Keys that identify one endpoint and so are never inherited by named accounts. */
const NOT_INHERITED: ReadonlyArray<keyof AccountFields> = ["webhookPath", "publicWebhookUrl"];

/** Said of every `"*"` in allowFrom under any other policy than open. */
const STAR_NEEDS_OPEN = '"*" is only allowed with dmPolicy "open" (it would let every sender in)';

/**
 * Turns a parsed config file plus the environment into validated accounts, or throws a ConfigError listing every
 * problem by key path: the schema's and, on the values it did not reject, the cross-field rules'.
 */
export function resolveConfig(file: unknown, env: Env = {}): ResolvedConfig {
  const checked = checkConfigFile(file);
  if (checked.section === undefined) throw new ConfigError(checked.issues);
  const isRejected = coveredBy(checked.rejected);
  const derived: ConfigIssue[] = [];
  const config = resolveSection(checked.section, env, checked.rejected, derived);
  // A rejected value was removed before the cross-field rules ran: what they say about its path (e.g. "required")
  // only restates the schema's problem.
  const issues = uniqueIssues([...checked.issues, ...derived.filter((issue) => !isRejected(issue.path))]);
  if (issues.length > 0) throw new ConfigError(issues);
  return config;
}

function resolveSection(
  section: SmsSection,
  env: Env,
  rejectedPaths: ReadonlySet<string>,
  issues: ConfigIssue[],
): ResolvedConfig {
  const isRejected = coveredBy(rejectedPaths);
  const { accounts: named = {}, defaultAccount, monitoring, ...topFields } = section;
  // The env stands in only for keys the file leaves out; a rejected key was written, just wrongly.
  const fromEnv = envAccountFields(
    env,
    (key) => topFields[key] === undefined && !isRejected(`${SECTION}.${key}`),
    issues,
  );
  const defaultFields: AccountFields = { ...fromEnv.fields, ...topFields };
  const accounts: ResolvedAccount[] = [];

  // A rejected entry under `accounts` still says the user meant named accounts, so the top level is not made one.
  const declaresNamed =
    Object.keys(named).length > 0 || [...rejectedPaths].some((rejected) => isWithin(rejected, `${SECTION}.accounts`));
  const topHasOwnSender = Boolean(defaultFields.fromNumber || defaultFields.messagingServiceSid);
  if (!declaresNamed || topHasOwnSender) {
    accounts.push(
      resolveAccount(
        {
          id: DEFAULT_ACCOUNT_ID,
          fields: defaultFields,
          base: SECTION,
          origin: () => SECTION,
          envSources: fromEnv.sources,
        },
        (path) => isRejected(path) || fromEnv.rejected.has(path),
        issues,
      ),
    );
  } else {
    // The top level is only inherited here, but its entries are still checked where they were written.
    normaliseAllowFrom(topFields.allowFrom ?? [], `${SECTION}.allowFrom`, issues);
  }
  for (const [id, own] of Object.entries(named)) {
    const base = `${SECTION}.accounts.${id}`;
    // A key the account sets, even to a rejected value, is its own; only unset keys come from the top level.
    const origin = (key: keyof AccountFields) =>
      own[key] !== undefined || isRejected(`${base}.${key}`) || NOT_INHERITED.includes(key) ? base : SECTION;
    const inherited = Object.fromEntries(
      Object.entries(topFields).filter(([key]) => origin(key as keyof AccountFields) === SECTION),
    ) as AccountFields;
    const fields: AccountFields = {
      ...inherited,
      ...own,
      webhookPath: own.webhookPath ?? `${DEFAULT_WEBHOOK_PATH}/${id}`,
    };
    accounts.push(resolveAccount({ id, fields, base, origin }, isRejected, issues));
  }

  // The seed's channel-wide switch: `enabled: false` at the top turns every account off, whatever each one says.
  if (topFields.enabled === false) for (const account of accounts) account.enabled = false;
  checkDistinctPaths(accounts, issues);
  checkOneTurnsConsumer(
    accounts.map((account) => ({ ...account, agentPath: `${accountKeyPath(account.id)}.agent` })),
    issues,
  );
  const chosenDefault = defaultAccount ?? accounts[0]?.id ?? DEFAULT_ACCOUNT_ID;
  // With the chosen account (or every account) rejected, "not configured" would only restate that.
  const choiceWasRejected = isRejected(`${SECTION}.accounts.${chosenDefault}`) || accounts.length === 0;
  if (!choiceWasRejected && !accounts.some((account) => account.id === chosenDefault)) {
    issues.push({
      path: `${SECTION}.defaultAccount`,
      message: `expected one of the configured accounts (${accounts.map((a) => a.id).join(", ") || "none"})`,
    });
  }
  const fromEnvPaths = Object.fromEntries(
    Object.entries(fromEnv.sources).map(([key, variable]) => [`${SECTION}.${key}`, variable]),
  );
  return {
    defaultAccount: chosenDefault,
    accounts,
    ...(monitoring ? { monitoring } : {}),
    ...(Object.keys(fromEnvPaths).length > 0 ? { fromEnv: fromEnvPaths } : {}),
  };
}

interface AccountInput {
  id: string;
  /** The account's values, inherited ones included. */
  fields: AccountFields;
  /** The account's own key path. */
  base: string;
  /** Where a key's value was written: the account's own path, or the top level it inherits from. */
  origin: (key: keyof AccountFields) => string;
  /** The default account only: the variable each key not written in the file came from. */
  envSources?: Partial<Record<keyof AccountFields, string>>;
}

function resolveAccount(
  { id, fields, base, origin, envSources }: AccountInput,
  isRejected: (path: string) => boolean,
  issues: ConfigIssue[],
): ResolvedAccount {
  const at = (key: keyof AccountFields) => `${base}.${key}`;
  const writtenAt = (key: keyof AccountFields) => envSources?.[key] ?? `${origin(key)}.${key}`;
  // Only the default account reads the environment, so only its messages offer the variables.
  const orEnv = (names: string) => (envSources ? ` (or ${names})` : "");
  const rejected = (key: keyof AccountFields) => isRejected(writtenAt(key));
  const require = <T>(value: T | undefined, key: keyof AccountFields, expected: string): T | undefined => {
    if (value === undefined && !rejected(key)) {
      issues.push({ path: at(key), message: `required: expected ${expected}` });
    }
    return value;
  };

  const accountSid =
    require(fields.accountSid, "accountSid", `a Twilio Account SID${orEnv("TWILIO_ACCOUNT_SID")}`) ?? "";
  const authTokenField = require(fields.authToken, "authToken", `a token or SecretRef${orEnv("TWILIO_AUTH_TOKEN")}`);
  const fromNumber = fields.fromNumber === undefined ? undefined : normaliseWrittenPhone(fields.fromNumber);
  if (fields.fromNumber !== undefined && fromNumber === null) {
    issues.push({
      path: writtenAt("fromNumber"),
      message: `expected an E.164 number such as +15551234567, got "${fields.fromNumber}"`,
    });
  }
  if (
    !fields.fromNumber &&
    !fields.messagingServiceSid &&
    !rejected("fromNumber") &&
    !rejected("messagingServiceSid")
  ) {
    issues.push({
      path: at("fromNumber"),
      message: `required: expected fromNumber or messagingServiceSid${orEnv("TWILIO_PHONE_NUMBER / TWILIO_MESSAGING_SERVICE_SID")}`,
    });
  }
  if (fields.publicWebhookUrl !== undefined) {
    const problem = checkPublicWebhookUrl(fields.publicWebhookUrl);
    if (problem) issues.push({ path: writtenAt("publicWebhookUrl"), message: problem });
  }
  const defaultTo = fields.defaultTo === undefined ? undefined : normaliseWrittenPhone(fields.defaultTo);
  if (fields.defaultTo !== undefined && defaultTo === null) {
    issues.push({
      path: writtenAt("defaultTo"),
      message: `expected an E.164 number (sms: / twilio-sms: prefixes allowed), got "${fields.defaultTo}"`,
    });
  }

  const dmPolicy = fields.dmPolicy ?? "pairing";
  const allowFrom = normaliseAllowFrom(fields.allowFrom ?? [], writtenAt("allowFrom"), issues);
  const notifyTo = normaliseNumbers(fields.notifyTo ?? [], writtenAt("notifyTo"), issues);
  // With a rejected policy or list, any verdict on the pair would rest on a guess.
  if (!rejected("dmPolicy") && !rejected("allowFrom")) {
    checkPolicyAgainstAllowFrom({ id, fields, base, origin, ...(envSources ? { envSources } : {}) }, issues);
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
    ...(notifyTo.length > 0 ? { notifyTo } : {}),
    ...(defaultTo ? { defaultTo } : {}),
    ...(fields.textChunkLimit ? { textChunkLimit: fields.textChunkLimit } : {}),
    dangerouslyDisableSignatureValidation: fields.dangerouslyDisableSignatureValidation ?? false,
    inboundRateLimit: { ...DEFAULT_RATE_LIMITS, ...fields.inboundRateLimit },
    agent: resolveAgent(fields.agent, writtenAt("agent"), issues),
    agentConfigured: fields.agent !== undefined,
  };
}

/**
 * dmPolicy and allowFrom must agree. When an account inherits both, any disagreement was written at the top level
 * and is reported there (once); when it sets only its policy, it is reported at the account, naming the entry.
 */
function checkPolicyAgainstAllowFrom({ fields, base, origin, envSources }: AccountInput, issues: ConfigIssue[]): void {
  const dmPolicy = fields.dmPolicy ?? "pairing";
  const entries = fields.allowFrom ?? [];
  const listOrigin = origin("allowFrom");
  const policyBase = origin("dmPolicy") !== base && listOrigin !== base ? listOrigin : base;
  const starIndexes = entries.flatMap((entry, index) => (isStar(entry) ? [index] : []));
  const hasNumber = entries.some((entry) => typeof entry === "string" && normaliseWrittenPhone(entry) !== null);

  if (dmPolicy === "allowlist" && !hasNumber) {
    issues.push({
      path: `${policyBase}.allowFrom`,
      message: 'dmPolicy "allowlist" needs at least one E.164 number in allowFrom',
    });
  }
  if (dmPolicy === "open" && starIndexes.length === 0) {
    issues.push({
      path: `${policyBase}.allowFrom`,
      message: 'dmPolicy "open" needs "*" in allowFrom to confirm public access',
    });
  }
  if (dmPolicy === "open") return;
  for (const index of starIndexes) {
    if (listOrigin === policyBase) {
      const listPath = envSources?.allowFrom ?? `${listOrigin}.allowFrom`;
      issues.push({ path: `${listPath}[${index}]`, message: STAR_NEEDS_OPEN });
    } else {
      issues.push({
        path: `${base}.allowFrom`,
        message: `inherits "*" from ${listOrigin}.allowFrom[${index}], but ${STAR_NEEDS_OPEN}; this account's dmPolicy is "${dmPolicy}", so give it its own allowFrom`,
      });
    }
  }
}

function isStar(entry: unknown): boolean {
  return typeof entry === "string" && entry.trim() === "*";
}

function normaliseAllowFrom(entries: readonly unknown[], path: string, issues: ConfigIssue[]): string[] {
  const out: string[] = [];
  entries.forEach((entry, index) => {
    if (typeof entry !== "string") {
      issues.push({
        path: `${path}[${index}]`,
        message: `expected a quoted string such as "+15551234567" or "*", got ${JSON.stringify(entry) ?? String(entry)}`,
      });
      return;
    }
    if (isStar(entry)) {
      if (!out.includes("*")) out.push("*");
      return;
    }
    const phone = normaliseWrittenPhone(entry);
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

/** Plain E.164 numbers (no "*"), each bad entry named by its index. */
function normaliseNumbers(entries: readonly unknown[], path: string, issues: ConfigIssue[]): string[] {
  const out: string[] = [];
  entries.forEach((entry, index) => {
    const phone = typeof entry === "string" ? normaliseWrittenPhone(entry) : null;
    if (phone === null) {
      issues.push({
        path: `${path}[${index}]`,
        message: `expected an E.164 number such as +15551234567 (sms: / twilio-sms: prefixes allowed), got ${JSON.stringify(entry) ?? String(entry)}`,
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
      issues.push({
        path: `${accountKeyPath(account.id)}.webhookPath`,
        message: `"${account.webhookPath}" is already used by account "${owner}"; each account needs its own path`,
      });
    } else {
      owners.set(account.webhookPath, account.id);
    }
  }
}

/** Tells whether a key path is, or lies inside, one of the rejected paths. */
function coveredBy(rejected: ReadonlySet<string>): (path: string) => boolean {
  return (path) => [...rejected].some((rejectedPath) => isWithin(path, rejectedPath));
}

/** Whether `path` is `ancestor` itself or lies inside it. */
function isWithin(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}.`) || path.startsWith(`${ancestor}[`);
}

/** Accounts inheriting one bad top-level value each find it; the user wrote it once and hears of it once. */
function uniqueIssues(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
