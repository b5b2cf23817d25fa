/**
 * Deterministic hostile HTTP requests for the webhook and admin paths. Each case starts from a plausible request
 * (a Twilio-shaped form, an smsctl call) and breaks one thing, so the break reaches as deep as it can.
 */
import * as odd from "./hostile-values.ts";
import { type Random, randomPicks } from "./random-picks.ts";
import { bytesOf, type RawRequest, serialiseRequest } from "./raw-request.ts";

export type Route = "webhook" | "admin";

export interface HostileContext {
  webhookPath: string;
  adminToken: string;
  accountSid: string;
  /** The account's number: the To of an inbound SMS. */
  toNumber: string;
  /** X-Twilio-Signature for a POST to the webhook with this raw query string ("" for none) and body text. */
  sign(query: string, body: string): string;
}

export interface HostileRequest {
  id: number;
  kind: string;
  route: Route;
  request: RawRequest;
  /** Bytes sent instead of `request`: protocol-level garbage, pipelines. */
  raw?: Buffer;
  /** Cut short on purpose: the client half-closes so the server sees the end of it. */
  halfClose: boolean;
  /** Cut short or too big to finish sending: the server may close without an answer. */
  mayClose: boolean;
  /** One entry per response expected: true when that request is a HEAD (no body in its response). */
  heads: boolean[];
}

export function bytesToSend(hostile: HostileRequest): Buffer {
  return hostile.raw ?? serialiseRequest(hostile.request);
}

/** A short, printable description for failure reports. */
export function describeHostile(hostile: HostileRequest): string {
  const bytes = bytesToSend(hostile);
  const shown = JSON.stringify(bytes.subarray(0, 300).toString("latin1"));
  return `#${hostile.id} ${hostile.kind} (${hostile.route}, ${bytes.length} bytes): ${shown}`;
}

/** `count` cases, the kinds taken in turn so every kind gets its share whatever the count. */
export function hostileRequests(seed: number, count: number, context: HostileContext): HostileRequest[] {
  const random = randomPicks(seed);
  return Array.from({ length: count }, (_, id) => {
    const [kind, build] = KINDS[id % KINDS.length] as Kind;
    return { id, kind, ...build(random, context) };
  });
}

type Built = Omit<HostileRequest, "id" | "kind">;
type Kind = readonly [string, (random: Random, context: HostileContext) => Built];

/** What a case is built from before it is spelled out. */
interface Draft {
  route: Route;
  method: string;
  /** Path and raw query; `target` replaces both when set. */
  path: string;
  query: string;
  target?: string;
  version?: string;
  /** null: no Host header at all. */
  host: string | null;
  contentType: string | null;
  /** Header lines added as they are (may hold CRLF to add several). */
  lines: string[];
  body: Buffer;
  framing: RawRequest["framing"];
  /** Webhook: add a valid Twilio signature over the final query and body. */
  signed: boolean;
  /** Admin: add the bearer token. */
  token: boolean;
  halfClose: boolean;
  mayClose: boolean;
}

interface AdminRoute {
  method: "GET" | "POST";
  path: string;
  body?: unknown;
}

const ADMIN_ROUTES: readonly AdminRoute[] = [
  { method: "GET", path: "/pairing" },
  { method: "GET", path: "/allow" },
  { method: "GET", path: "/status" },
  { method: "GET", path: "/capabilities" },
  { method: "POST", path: "/pairing/approve", body: { code: "ABCD2345" } },
  { method: "POST", path: "/pairing/deny", body: { code: "ABCD2345" } },
  { method: "POST", path: "/allow/add", body: { phone: "+15550001111" } },
  { method: "POST", path: "/allow/remove", body: { phone: "+15550001111" } },
  { method: "POST", path: "/messages", body: { target: "sms:+15550002222", message: "hello" } },
];

const SMS_BODIES = ["hello", "STOP", "START", "HELP", "yes", "x".repeat(2000), "héllo 😀", "", "   "] as const;

function latin1(text: string): Buffer {
  return Buffer.from(text, "latin1");
}

function phone(random: Random): string {
  return `+1555${String(random.int(10_000_000)).padStart(7, "0")}`;
}

function inboundForm(random: Random, context: HostileContext, extra: Record<string, string> = {}): URLSearchParams {
  const sid = `SM${random.bytes(16).toString("hex")}`;
  return new URLSearchParams({
    MessageSid: sid,
    SmsSid: sid,
    AccountSid: context.accountSid,
    From: phone(random),
    To: context.toNumber,
    Body: random.pick(SMS_BODIES),
    NumMedia: "0",
    ...extra,
  });
}

function webhookDraft(random: Random, context: HostileContext): Draft {
  return {
    route: "webhook",
    method: "POST",
    path: context.webhookPath,
    query: "",
    host: "127.0.0.1",
    contentType: "application/x-www-form-urlencoded",
    lines: [],
    body: latin1(inboundForm(random, context).toString()),
    framing: "length",
    signed: random.chance(0.3),
    token: false,
    halfClose: false,
    mayClose: false,
  };
}

function adminDraft(random: Random, route = random.pick(ADMIN_ROUTES)): Draft {
  return {
    route: "admin",
    method: route.method,
    path: `/admin${route.path}`,
    query: "",
    host: "127.0.0.1",
    contentType: route.method === "POST" ? "application/json" : null,
    lines: [],
    body: route.body === undefined ? Buffer.alloc(0) : latin1(JSON.stringify(route.body)),
    framing: "length",
    signed: false,
    token: random.chance(0.6),
    halfClose: false,
    mayClose: false,
  };
}

function anyDraft(random: Random, context: HostileContext): Draft {
  return random.chance(0.5) ? webhookDraft(random, context) : adminDraft(random);
}

function rawQueryOf(target: string): string {
  const start = target.indexOf("?");
  return start < 0 ? "" : (target.slice(start + 1).split("#")[0] ?? "");
}

function finish(draft: Draft, context: HostileContext): Built {
  const target = draft.target ?? `${draft.path}${draft.query === "" ? "" : `?${draft.query}`}`;
  const lines = [
    ...(draft.host === null ? [] : [`Host: ${draft.host}`]),
    ...(draft.contentType === null ? [] : [`Content-Type: ${draft.contentType}`]),
    ...(draft.token ? [`Authorization: Bearer ${context.adminToken}`] : []),
    ...(draft.signed ? [`X-Twilio-Signature: ${context.sign(rawQueryOf(target), draft.body.toString("utf8"))}`] : []),
    ...draft.lines,
  ];
  return {
    route: draft.route,
    request: {
      method: draft.method,
      target,
      ...(draft.version === undefined ? {} : { version: draft.version }),
      headers: lines,
      body: draft.body,
      framing: draft.framing,
    },
    halfClose: draft.halfClose,
    mayClose: draft.mayClose || draft.halfClose,
    heads: [draft.method === "HEAD"],
  };
}

/** A plausible request to either route, broken by `change`, then spelled out. */
function kind(name: string, change: (draft: Draft, random: Random, context: HostileContext) => void): Kind {
  return [
    name,
    (random, context) => {
      const draft = anyDraft(random, context);
      change(draft, random, context);
      return finish(draft, context);
    },
  ];
}

function queryParts(random: Random, keys: readonly string[]): string {
  const values = ["", "1", "x", ...odd.PROTO_KEYS, ...odd.BROKEN_PERCENT];
  return Array.from({ length: 1 + random.int(4) }, () => {
    const key = random.pick(keys);
    return random.chance(0.2) ? key : `${key}=${random.pick(values)}`;
  }).join("&");
}

function placeJunk(draft: Draft, random: Random, junk: string): void {
  const where = random.int(4);
  if (where === 0) draft.path += junk;
  else if (where === 1) draft.query = `${junk}=${junk}`;
  else if (where === 2) draft.query = `account=${junk}&Body=${junk}`;
  else draft.body = Buffer.concat([draft.body, latin1(draft.route === "webhook" ? `&Body=${junk}` : junk)]);
}

function randomBody(random: Random): Buffer {
  return random.bytes(random.int(3000));
}

const KINDS: readonly Kind[] = [
  kind("query-keys", (draft, random) => {
    draft.query = queryParts(random, odd.PROTO_KEYS);
  }),
  kind("broken-percent", (draft, random) => {
    placeJunk(draft, random, random.pick(odd.BROKEN_PERCENT));
  }),
  kind("odd-target", (draft, random) => {
    draft.target = random.pick(odd.ODD_TARGETS).replaceAll("{path}", draft.path);
    if (random.chance(0.3)) draft.target += `?${queryParts(random, odd.PROTO_KEYS)}`;
  }),
  kind("odd-host", (draft, random) => {
    const choice = random.int(6);
    if (choice === 0) draft.lines.push(`Host: ${random.pick(odd.ODD_HOSTS)}`);
    else if (choice === 1) draft.host = null;
    else if (choice === 2) {
      draft.host = null;
      draft.version = "HTTP/1.0";
    } else draft.host = random.pick(odd.ODD_HOSTS);
  }),
  kind("odd-method", (draft, random) => {
    const choice = random.int(5);
    if (choice === 0) {
      draft.method = "CONNECT";
      draft.target = random.pick(["127.0.0.1:443", draft.path, "*"]);
    } else draft.method = random.pick(choice === 1 ? odd.UNKNOWN_METHODS : odd.KNOWN_METHODS);
  }),
  kind("content-type", (draft, random) => {
    draft.contentType = random.pick(odd.CONTENT_TYPES);
    const body = random.int(3);
    if (body === 0) draft.body = randomBody(random);
    else if (body === 1) draft.body = latin1(random.pick(odd.HOSTILE_JSON));
  }),
  kind("body-size", (draft, random, context) => {
    const choice = random.int(7);
    if (choice === 0) draft.body = Buffer.alloc(0);
    else if (choice === 1) draft.framing = "none";
    else if (choice === 2) {
      // Just over the webhook's 64 KB cap, still well-formed and signed: the handler's own 413.
      draft.body = latin1(inboundForm(random, context, { Body: "x".repeat(64 * 1024) }).toString());
    } else if (choice === 3) draft.body = Buffer.alloc(1024 * 1024, "a");
    else if (choice === 4) {
      draft.lines.push("Content-Length: 20000000");
      draft.framing = "none";
      draft.body = Buffer.alloc(0);
      draft.halfClose = true;
    } else if (choice === 5) draft.framing = "chunked";
    else if (random.chance(0.1)) {
      // Over the gateway's 10 MB cap for real: the server may refuse before the client finishes sending.
      draft.body = Buffer.alloc(11 * 1024 * 1024, "b");
      draft.mayClose = true;
    } else draft.body = Buffer.alloc(200 * 1024, "c");
  }),
  kind("framing", (draft, random) => {
    draft.framing = "none";
    draft.lines.push(random.pick(odd.ODD_FRAMINGS).replaceAll("{n}", String(draft.body.length)));
    draft.halfClose = true;
  }),
  kind("truncated", (draft, random) => {
    draft.framing = "none";
    const sent = draft.body.subarray(0, random.int(draft.body.length + 1));
    draft.lines.push(`Content-Length: ${draft.body.length + 1 + random.int(500)}`);
    draft.body = sent;
    draft.halfClose = true;
  }),
  kind("odd-header", (draft, random) => {
    for (let i = 0; i < 1 + random.int(2); i++) draft.lines.push(random.pick(odd.ODD_HEADER_LINES));
  }),
  kind("odd-version", (draft, random) => {
    draft.version = random.pick(odd.ODD_VERSIONS);
    draft.halfClose = true;
  }),
  kind("invalid-utf8", (draft, random) => {
    const junk = random.pick(odd.INVALID_UTF8);
    const where = random.int(5);
    if (where === 0) draft.host = `h${junk}`;
    else if (where === 1) draft.lines.push(`X-Twilio-Signature: ${junk}`);
    else if (where === 2) draft.lines.push(`Authorization: Bearer ${junk}`);
    else placeJunk(draft, random, junk);
  }),
  [
    "signed-form",
    (random, context) => {
      const draft = webhookDraft(random, context);
      draft.signed = true;
      draft.body = latin1(signedFormBody(random, context));
      if (random.chance(0.2)) draft.query = queryParts(random, ["source", "a", ...odd.PROTO_KEYS]);
      return finish(draft, context);
    },
  ],
  [
    "broken-form",
    (random, context) => {
      const draft = webhookDraft(random, context);
      draft.body = latin1(random.pick(odd.BROKEN_FORMS));
      if (random.chance(0.5)) draft.body = Buffer.concat([latin1(`${inboundForm(random, context)}&`), draft.body]);
      return finish(draft, context);
    },
  ],
  [
    "admin-json",
    (random, context) => {
      const draft = adminDraft(random, random.pick(ADMIN_ROUTES.filter((route) => route.method === "POST")));
      draft.token = random.chance(0.9);
      draft.body = latin1(random.pick(odd.HOSTILE_JSON));
      if (random.chance(0.2)) draft.contentType = random.pick(odd.CONTENT_TYPES);
      return finish(draft, context);
    },
  ],
  [
    "admin-query",
    (random, context) => {
      const draft = adminDraft(random);
      draft.token = random.chance(0.9);
      draft.query = random.pick(odd.HOSTILE_QUERIES);
      return finish(draft, context);
    },
  ],
  [
    "admin-auth",
    (random, context) => {
      const draft = adminDraft(random);
      draft.token = false;
      const token = context.adminToken;
      draft.lines.push(
        random.pick([
          `Authorization: bearer ${token}`,
          `Authorization: Bearer  ${token}`,
          `Authorization: Bearer ${token} `,
          `Authorization: Bearer ${token}x`,
          `Authorization: Bearer ${token.slice(1)}`,
          `Authorization: ${token}`,
          `Authorization: Basic ${Buffer.from(`x:${token}`).toString("base64")}`,
          `Authorization: Bearer ${token}\r\nAuthorization: Bearer wrong`,
          `Authorization: Bearer wrong\r\nAuthorization: Bearer ${token}`,
          `Authorization: Bearer ${bytesOf("tökén")}`,
          `X-Authorization: Bearer ${token}`,
        ]),
      );
      return finish(draft, context);
    },
  ],
  [
    "garbage",
    (random, context) => {
      const draft = anyDraft(random, context);
      const built = finish(draft, context);
      const head = `${draft.method} ${draft.path} HTTP/1.1\r\n`;
      const raw = random.pick([
        () => random.bytes(1 + random.int(2000)),
        () => Buffer.concat([latin1(head), random.bytes(1 + random.int(500))]),
        () => Buffer.concat([serialiseRequest(built.request).subarray(0, random.int(200)), random.bytes(50)]),
        () => latin1("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"),
        () => latin1("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
        () => latin1("\r\n\r\n"),
        () => Buffer.alloc(100),
        () => latin1(`GET ${draft.path}\r\n`),
        () => latin1(" ".repeat(1 + random.int(100))),
      ])();
      return { ...built, raw, halfClose: true, mayClose: true };
    },
  ],
  [
    "pipelined",
    (random, context) => {
      const first = finish(adminDraft(random, { method: "GET", path: "/capabilities" }), context);
      // Any kind but garbage and pipelined itself.
      const second = KINDS[random.int(KINDS.length - 2)] as Kind;
      const next = second[1](random, context);
      return {
        ...next,
        raw: Buffer.concat([serialiseRequest(first.request), bytesToSend({ id: 0, kind: "", ...next })]),
        heads: [false, ...next.heads],
        // A malformed second request may be refused before the first is answered, as Node's parser does.
        mayClose: true,
      };
    },
  ],
];

/** A form that carries a valid signature but bends the fields the handler reads. */
function signedFormBody(random: Random, context: HostileContext): string {
  const form = inboundForm(random, context);
  const change = random.int(12);
  if (change === 0) form.delete(random.pick(["From", "To", "Body", "MessageSid", "AccountSid"]));
  else if (change === 1)
    form.set("From", random.pick(["+1", "constructor", "__proto__", "sms:+15550001111", "x".repeat(500)]));
  else if (change === 2)
    form.set("Body", random.pick(["x".repeat(60 * 1024), "\ud800", "STOP\u0000", "😀".repeat(500)]));
  else if (change === 3) form.set("NumMedia", random.pick(["999", "-1", "abc", "1e9", "3"]));
  else if (change === 4) form.set("MediaUrl0", random.pick(["javascript:alert(1)", "x", "http://[", ""]));
  else if (change === 5) form.set("MessageSid", random.pick(["SM", "constructor", "__proto__", "SM".padEnd(34, "z")]));
  else if (change === 6) form.append("AccountSid", random.pick([context.accountSid, "ACwrong"]));
  else if (change === 7) form.append(random.pick(odd.PROTO_KEYS), random.pick(["x", "", "1"]));
  else if (change === 8) {
    // A delivery-status callback with odd values.
    form.set("MessageStatus", random.pick(["delivered", "", "constructor", "x".repeat(300), "__proto__"]));
    if (random.chance(0.5)) form.set("ErrorCode", random.pick(["30003", "__proto__", "", "-1"]));
  } else if (change === 9) form.append("From", phone(random));
  else if (change === 10) form.set("MessagingServiceSid", random.pick(["MG", "constructor", "x"]));
  else form.set("To", random.pick(["", "+1", "constructor"]));
  return form.toString();
}
