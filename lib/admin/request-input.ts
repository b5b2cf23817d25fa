import { normalisePairingCode, PAIRING_ALPHABET } from "../access/pairing-code.ts";
import { AdminError, invalidField } from "./admin-error.ts";
import { DLQ_NAMES, type DlqInput, type DlqListInput, type DlqName, type DlqRedriveInput } from "./dead-letters.ts";
import { quoted } from "./quoted.ts";
import type { RouteName } from "./routes.ts";
import { parsePhoneField, parseSmsTarget } from "./target.ts";

/** What each route reads from its query string (GET) or JSON body (POST), already validated and normalised. */
export interface AccountInput {
  account?: string;
}
export interface CodeInput extends AccountInput {
  code: string;
}
export interface PhoneInput extends AccountInput {
  phone: string;
}
export interface SendInput extends AccountInput {
  /** Normalised E.164; absent means "use the account's defaultTo". */
  target?: string;
  message: string;
  media?: string[];
}
export interface StatusInput extends AccountInput {
  probe: boolean;
}
export interface WebhookSetInput extends AccountInput {
  dryRun: boolean;
}

export type RouteInput =
  | { route: "pairing.list" | "allow.list"; input: AccountInput }
  | { route: "pairing.approve" | "pairing.deny"; input: CodeInput }
  | { route: "allow.add" | "allow.remove" | "conversation.reset"; input: PhoneInput }
  | { route: "conversation.show"; input: PhoneInput }
  | { route: "messages.send"; input: SendInput }
  | { route: "status"; input: StatusInput }
  | { route: "webhook.set"; input: WebhookSetInput }
  | { route: "capabilities"; input: Record<string, never> }
  | { route: "dlq.list"; input: DlqListInput }
  | { route: "dlq.redrive"; input: DlqRedriveInput }
  | { route: "dlq.purge"; input: DlqInput };

/** Limits of the replies contract (lib/queue/messages.ts), checked here so the caller hears about them. */
export const MAX_MESSAGE_CHARS = 20_000;
export const MAX_MEDIA_URLS = 10;

const ACCOUNT_ID = /^[a-z0-9][a-z0-9_-]{0,31}$/i;
const CODE_PATTERN = new RegExp(`^[${PAIRING_ALPHABET}]{4,16}$`);

/** Validates the input of one route; every error is a 400 that names the offending field. */
export function parseRouteInput(route: RouteName, query: URLSearchParams, body: unknown): RouteInput {
  switch (route) {
    case "pairing.list":
    case "allow.list":
      return { route, input: accountFromQuery(query) };
    case "status":
      return { route, input: { ...accountFromQuery(query), probe: flag(query, "probe") } };
    case "capabilities":
      return { route, input: {} };
    case "pairing.approve":
    case "pairing.deny": {
      const fields = new BodyFields(body, ["code", "account"], query);
      return { route, input: { ...fields.account(), code: pairingCode(fields.requiredString("code")) } };
    }
    case "conversation.show": {
      const parsed = parsePhoneField(query.get("phone") ?? "");
      if (!parsed.ok) throw invalidField("phone", parsed.problem);
      return { route, input: { ...accountFromQuery(query), phone: parsed.phone } };
    }
    case "allow.add":
    case "allow.remove":
    case "conversation.reset": {
      const fields = new BodyFields(body, ["phone", "account"], query);
      const parsed = parsePhoneField(fields.requiredString("phone"));
      if (!parsed.ok) throw invalidField("phone", parsed.problem);
      return { route, input: { ...fields.account(), phone: parsed.phone } };
    }
    case "messages.send":
      return { route, input: sendInput(new BodyFields(body, ["target", "message", "media", "account"], query)) };
    case "dlq.list":
      return { route, input: { ...dlqQueue(query.get("queue") ?? undefined), showBody: flag(query, "showBody") } };
    case "dlq.redrive": {
      const fields = new BodyFields(body, ["queue", "ids"], query);
      const ids = fields.optionalStringArray("ids");
      ids?.forEach((id, index) => {
        if (!/^[\w-]{1,100}$/.test(id)) throw invalidField(`ids[${index}]`, `expected a message id, got ${quoted(id)}`);
      });
      return { route, input: { ...dlqQueue(fields.stringFromEither("queue")), ...(ids ? { ids } : {}) } };
    }
    case "dlq.purge":
      return { route, input: dlqQueue(new BodyFields(body, ["queue"], query).stringFromEither("queue")) };
    case "webhook.set": {
      const fields = new BodyFields(body, ["account", "dryRun"], query);
      return { route, input: { ...fields.account(), dryRun: fields.flag("dryRun") } };
    }
  }
}

function dlqQueue(value: string | undefined): DlqInput {
  if (value === undefined || value === "") return {};
  if (!(DLQ_NAMES as readonly string[]).includes(value)) {
    throw invalidField("queue", `expected ${DLQ_NAMES.join(" or ")}, got ${quoted(value)}`);
  }
  return { queue: value as DlqName };
}

function sendInput(fields: BodyFields): SendInput {
  const rawTarget = fields.optionalString("target");
  let target: string | undefined;
  if (rawTarget !== undefined) {
    const parsed = parseSmsTarget(rawTarget);
    if (!parsed.ok) throw invalidField("target", parsed.problem);
    target = parsed.phone;
  }
  const message = fields.requiredString("message", { allowEmpty: true });
  if (message.length > MAX_MESSAGE_CHARS) {
    throw invalidField("message", `expected at most ${MAX_MESSAGE_CHARS} characters, got ${message.length}`);
  }
  const media = fields.optionalStringArray("media");
  if (media !== undefined) {
    if (media.length > MAX_MEDIA_URLS) throw invalidField("media", `expected at most ${MAX_MEDIA_URLS} URLs`);
    media.forEach((url, index) => {
      if (!isHttpsUrl(url)) throw invalidField(`media[${index}]`, `expected a public https URL, got ${quoted(url)}`);
    });
  }
  if (message.trim() === "" && (media?.length ?? 0) === 0) {
    throw invalidField("message", "expected a non-empty text (or at least one media URL)");
  }
  return {
    ...fields.account(),
    ...(target === undefined ? {} : { target }),
    message,
    ...(media === undefined ? {} : { media }),
  };
}

function pairingCode(raw: string): string {
  const code = normalisePairingCode(raw);
  if (!CODE_PATTERN.test(code)) {
    throw invalidField(
      "code",
      `expected the pairing code from the SMS (letters and digits, e.g. ABCD2345), got ${quoted(raw)}`,
    );
  }
  return code;
}

function accountFromQuery(query: URLSearchParams): AccountInput {
  const account = query.get("account");
  if (account === null || account === "") return {};
  return { account: accountId(account) };
}

function accountId(value: string): string {
  if (!ACCOUNT_ID.test(value)) {
    throw invalidField("account", `expected an account id (letters, digits, _ or -), got ${quoted(value)}`);
  }
  return value;
}

function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null) return false;
  if (["", "1", "true", "yes"].includes(value.toLowerCase())) return true;
  if (["0", "false", "no"].includes(value.toLowerCase())) return false;
  throw invalidField(name, `expected 1 or 0 (true or false), got ${quoted(value)}`);
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

/** A JSON object body with a fixed set of fields; an unknown field is an error so a typo is not silently ignored. */
class BodyFields {
  private readonly values: Record<string, unknown>;

  constructor(
    body: unknown,
    allowed: readonly string[],
    private readonly query: URLSearchParams,
  ) {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new AdminError(400, "invalid_request", "request body: expected a JSON object", "body");
    }
    this.values = body as Record<string, unknown>;
    const unknown = Object.keys(this.values).filter((key) => !allowed.includes(key));
    const [first] = unknown;
    if (first !== undefined) {
      throw invalidField(first, `unknown field; expected only ${allowed.join(", ")}`);
    }
  }

  /** The body's `account`, else the query string's (either may name it). */
  account(): AccountInput {
    const value = this.optionalString("account");
    if (value !== undefined && value !== "") return { account: accountId(value) };
    return accountFromQuery(this.query);
  }

  /**
   * A boolean the body or the query string may set, as `account`: `POST /webhook?dryRun=1` with `{}` is a dry run.
   * Both set and disagreeing is refused rather than guessed, since one of them would change Twilio.
   */
  flag(name: string): boolean {
    const fromBody = this.optionalBoolean(name);
    const inQuery = this.query.has(name);
    const fromQuery = flag(this.query, name);
    if (fromBody !== undefined && inQuery && fromBody !== fromQuery) {
      throw invalidField(name, `the body says ${fromBody} but the query string says ${fromQuery}; give it once`);
    }
    return fromBody ?? fromQuery;
  }

  /**
   * A string the body or the query string may set, as `account`: `POST /dlq/purge?queue=turns` with `{}` purges only
   * the turns queue, never both. Both set and disagreeing is refused.
   */
  stringFromEither(name: string): string | undefined {
    const fromBody = this.optionalString(name);
    const fromQuery = this.query.get(name) ?? undefined;
    if (fromBody !== undefined && fromQuery !== undefined && fromBody !== fromQuery) {
      throw invalidField(
        name,
        `the body says ${quoted(fromBody)} but the query string says ${quoted(fromQuery)}; give it once`,
      );
    }
    return fromBody ?? fromQuery;
  }

  /** Own fields only: a name such as `constructor` is never read from Object.prototype. */
  private field(name: string): unknown {
    return Object.hasOwn(this.values, name) ? this.values[name] : undefined;
  }

  optionalString(name: string): string | undefined {
    const value = this.field(name);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") throw invalidField(name, `expected a string, got ${describe(value)}`);
    return value;
  }

  requiredString(name: string, options: { allowEmpty?: boolean } = {}): string {
    const value = this.optionalString(name);
    if (value === undefined) throw invalidField(name, "required");
    if (!options.allowEmpty && value.trim() === "") throw invalidField(name, "expected a non-empty string");
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.field(name);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "boolean") throw invalidField(name, `expected true or false, got ${describe(value)}`);
    return value;
  }

  optionalStringArray(name: string): string[] | undefined {
    const value = this.field(name);
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw invalidField(name, `expected an array of strings, got ${describe(value)}`);
    return value.map((item, index) => {
      if (typeof item !== "string") throw invalidField(`${name}[${index}]`, `expected a string, got ${describe(item)}`);
      return item;
    });
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  // String(), not JSON.stringify: a number too big for a double (1e999) is Infinity, which JSON spells null.
  return typeof value === "number" ? `number ${String(value)}` : `${typeof value} ${JSON.stringify(value)}`;
}
