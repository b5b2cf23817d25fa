/**
 * A local stand-in for the parts of Twilio's REST API (2010-04-01) the channel uses: Messages create and list,
 * Account fetch, IncomingPhoneNumbers list, fetch and update, an inbound MMS's Media (its content behind a redirect to
 * storage, and its JSON resource); plus Messaging v1 Service fetch and update and its PhoneNumbers list, which Twilio
 * serves from messaging.twilio.com (the client sends both hosts to this one server). Tests use it over real HTTP, and the local gateway uses it as its outbound sink.
 * Responses follow Twilio's OpenAPI shapes and error codes; faults can be queued to exercise retries, auth failures
 * and ambiguous sends.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FaultQueue } from "./fault-queue.ts";
import { readRequestText } from "./request-body.ts";
import {
  API_VERSION,
  authenticate,
  errorReply,
  groupParams,
  methodNotAllowed,
  notFound,
  page,
  type Reply,
  rfc2822,
  sendReply,
  type TwilioErrorReply,
  unauthenticated,
} from "./twilio-stand-in-http.ts";
import {
  createSenderRegistry,
  type StandInMessagingService,
  type StandInPhoneNumber,
} from "./twilio-stand-in-senders.ts";

export type { StandInMessagingService, StandInPhoneNumber } from "./twilio-stand-in-senders.ts";

export interface TwilioStandInOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** accountSid -> the auth token it accepts. */
  accounts: Record<string, string>;
  /**
   * Numbers listed by IncomingPhoneNumbers. When an account has any, a create From outside them fails with 21606,
   * as on Twilio; accounts without numbers accept any From.
   */
  phoneNumbers?: StandInPhoneNumber[];
  /** Messaging Services served by /v1/Services/{sid}, each visible only to its account's credentials. */
  messagingServices?: StandInMessagingService[];
  /** Called for each accepted message (the local gateway prints it). */
  onMessage?: (message: StandInMessage) => void;
  now?: () => Date;
}

export interface StandInMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  mediaUrls: string[];
  statusCallback: string | null;
  dateCreated: Date;
  direction: "inbound" | "outbound-api";
  /** queued / accepted at create (received for inbound); tests move it on with setMessageStatus. */
  status: string;
  errorCode: number | null;
}

/** An inbound message as Twilio's message log keeps it, e.g. one whose webhook failed with 11200. */
export interface StandInInboundMessage {
  accountSid: string;
  from: string;
  to: string;
  body: string;
  messagingServiceSid?: string;
  errorCode?: number;
  dateCreated?: Date;
}

/** Media of an inbound MMS, as Twilio stores it (tests register it, then put its URL in a webhook). */
export interface StandInMedia {
  accountSid: string;
  messageSid: string;
  /** Default: a fresh ME sid. */
  sid?: string;
  contentType: string;
  data: Uint8Array;
  /** The storage answer is sent this much later: a slow download. */
  delayMs?: number;
  /** Sent without Content-Length (chunked), like a server that does not announce the size. */
  chunked?: boolean;
}

/** One request to the storage URL a Media URL redirects to. */
export interface StandInMediaDownload {
  mediaSid: string;
  /** Whether it carried an Authorization header: the storage URL needs none, so a client should not send one. */
  authorization: boolean;
}

export interface StandInRequest {
  method: string;
  path: string;
  /** Query and form parameters together, each name with all its values in order. */
  params: Record<string, string[]>;
}

/**
 * `skip`: this many Messages create requests go through normally before the fault applies (e.g. chunk 2 fails).
 * An `http` fault is refused before anything is created; its `code` defaults to Twilio's for the status (20003 for
 * 401, else 20000 + status, so a bare 500 is "500 without creating").
 */
export type Fault = { skip?: number } & (
  | { kind: "http"; status: number; code?: number; message?: string; times?: number }
  /** The message is accepted at once; the answer is sent `ms` later (a client with a shorter timeout gives up). */
  | { kind: "delay"; ms: number; times?: number }
  /** The message is accepted, then the request is answered with `status` (5xx): the ambiguous case. */
  | { kind: "accept-then-fail"; status: number; times?: number }
  /** The message is accepted, then the connection is dropped without an answer (a reset): ambiguous, and at once. */
  | { kind: "accept-then-drop"; times?: number }
);

export interface TwilioStandIn {
  /** Base URL such as http://127.0.0.1:54321; set TWILIO_API_BASE_URL to it. */
  url: string;
  /** Outbound messages created through the API, oldest first. */
  messages: StandInMessage[];
  requests: StandInRequest[];
  /** Adds an inbound message to the message log (Messages list shows it; nothing is posted anywhere). */
  logInbound(message: StandInInboundMessage): StandInMessage;
  /** Moves a created message on, as Twilio's delivery would: e.g. "undelivered" with 30007. */
  setMessageStatus(sid: string, status: string, errorCode?: number | null): void;
  /** Queued: applies to the next Messages create request(s), `times` of them (default 1). */
  injectFault(fault: Fault): void;
  /** Drops every queued fault. */
  clearFaults(): void;
  /**
   * Stores media for an inbound MMS and returns its Media URL as Twilio puts it in a webhook
   * (https://api.twilio.com/2010-04-01/Accounts/…/Messages/…/Media/ME…); a client with TWILIO_API_BASE_URL set to
   * this stand-in fetches it here.
   */
  addMedia(media: StandInMedia): string;
  mediaDownloads: StandInMediaDownload[];
  close(): Promise<void>;
}

const E164 = /^\+[1-9]\d{1,14}$/;
/** An RCS user's address: `rcs:` and an E.164 number. Twilio matches the prefix in any case and keeps it lowercase. */
const RCS_ADDRESS = /^rcs:(\+[1-9]\d{1,14})$/i;
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;
const MAX_BODY_CHARS = 1600;
const MAX_REQUEST_BYTES = 1024 * 1024;
/** GET on a Media instance: without an extension the content (through a redirect), with .json the resource. */
const MEDIA_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/]+)\/Media\/(ME[0-9a-fA-F]{32})(\.json)?$/;
/** Where media redirects to, as Twilio's redirect goes to its storage host; the unguessable path is the credential. */
const MEDIA_STORAGE_PATH = /^\/media-storage\/([0-9a-f]{32})$/;

interface StoredMedia extends Required<Omit<StandInMedia, "delayMs" | "chunked">> {
  delayMs: number;
  chunked: boolean;
  storageKey: string;
  dateCreated: Date;
}

export async function startTwilioStandIn(options: TwilioStandInOptions): Promise<TwilioStandIn> {
  const now = options.now ?? (() => new Date());
  const messages: StandInMessage[] = [];
  const inbound: StandInMessage[] = [];
  const senders = createSenderRegistry({
    accounts: options.accounts,
    phoneNumbers: options.phoneNumbers ?? [],
    messagingServices: options.messagingServices ?? [],
    now,
    selfUrl: () => selfUrl,
  });
  const requests: StandInRequest[] = [];
  const faults = new FaultQueue<Fault>();
  const media = new Map<string, StoredMedia>();
  const mediaDownloads: StandInMediaDownload[] = [];
  // Pending delayed answers; close() releases them so nothing keeps the process alive.
  const pendingDelays = new Set<() => void>();
  // Known once listening; Messaging v1 resources carry absolute URLs.
  let selfUrl = "";

  function createMessage(accountSid: string, params: URLSearchParams): Reply | StandInMessage {
    const invalid = validateCreate(params, senders.ownedNumbers(accountSid));
    if (invalid) return errorReply(invalid);
    const mediaUrls = params.getAll("MediaUrl");
    const message: StandInMessage = {
      sid: `${mediaUrls.length > 0 ? "MM" : "SM"}${randomBytes(16).toString("hex")}`,
      accountSid,
      to: normaliseAddress(params.get("To") ?? ""),
      from: params.get("From") || null,
      messagingServiceSid: params.get("MessagingServiceSid") || null,
      body: params.get("Body") ?? "",
      mediaUrls,
      statusCallback: params.get("StatusCallback") || null,
      dateCreated: now(),
      direction: "outbound-api",
      // Twilio answers "accepted" while a Messaging Service still has to pick the sender.
      status: params.get("From") ? "queued" : "accepted",
      errorCode: null,
    };
    messages.push(message);
    options.onMessage?.(message);
    return message;
  }

  async function handleCreate(accountSid: string, params: URLSearchParams): Promise<Reply> {
    const fault = faults.take();
    if (fault?.kind === "http") {
      const code = fault.code ?? defaultFaultCode(fault.status);
      return errorReply({ status: fault.status, code, message: fault.message ?? defaultFaultText(fault.status, code) });
    }
    const created = createMessage(accountSid, params);
    if (!("sid" in created)) return created;
    if (fault?.kind === "accept-then-drop") return { status: 0, body: null, drop: true };
    if (fault?.kind === "accept-then-fail") {
      return errorReply({ status: fault.status, code: 20000 + fault.status, message: serverErrorText(fault.status) });
    }
    if (fault?.kind === "delay") await sleep(fault.ms, pendingDelays);
    return { status: 201, body: messageResource(created) };
  }

  /** GET …/Media/{Sid}: a redirect to storage, as Twilio answers; GET …/Media/{Sid}.json: the Media resource. */
  function routeMedia(method: string, match: RegExpExecArray, path: string, auth: string | undefined): Reply {
    const [, accountSid, messageSid, mediaSid, json] = match;
    if (method !== "GET") return methodNotAllowed();
    const credentialsFor = authenticate(auth, options.accounts);
    if (!credentialsFor) return unauthenticated();
    const stored = media.get(`${accountSid}/${messageSid}/${mediaSid}`);
    // Another account's media looks exactly like missing media.
    if (!stored || credentialsFor !== accountSid) return notFound(path);
    if (json) return { status: 200, body: mediaResource(stored) };
    return { status: 307, body: null, location: `${selfUrl}/media-storage/${stored.storageKey}` };
  }

  /** The storage URL: no credentials asked (Twilio's are signed, short-lived URLs); records whether some came. */
  async function routeMediaStorage(storageKey: string, path: string, auth: string | undefined): Promise<Reply> {
    const stored = [...media.values()].find((m) => m.storageKey === storageKey);
    if (!stored) return notFound(path);
    mediaDownloads.push({ mediaSid: stored.sid, authorization: auth !== undefined });
    if (stored.delayMs > 0) await sleep(stored.delayMs, pendingDelays);
    return {
      status: 200,
      body: null,
      raw: { contentType: stored.contentType, data: stored.data, chunked: stored.chunked },
    };
  }

  async function route(
    method: string,
    path: string,
    params: URLSearchParams,
    auth: string | undefined,
  ): Promise<Reply> {
    if (path.startsWith("/v1/")) return senders.routeServices(method, path, params, auth);
    const mediaMatch = MEDIA_PATH.exec(path);
    if (mediaMatch) return routeMedia(method, mediaMatch, path, auth);
    const storageKey = MEDIA_STORAGE_PATH.exec(path)?.[1];
    if (storageKey && method === "GET") return routeMediaStorage(storageKey, path, auth);
    const match =
      /^\/2010-04-01\/Accounts\/([^/]+?)(\.json|\/Messages\.json|\/IncomingPhoneNumbers(?:\/[^/]+)?\.json)$/.exec(path);
    const accountSid = match?.[1];
    const resource = match?.[2];
    if (!accountSid || !resource) return notFound(path);
    const allowed = resource === ".json" ? ["GET"] : ["GET", "POST"];
    if (!allowed.includes(method)) return methodNotAllowed();
    const credentialsFor = authenticate(auth, options.accounts);
    if (!credentialsFor) return unauthenticated();
    // Credentials of one account cannot see another account's resources.
    if (credentialsFor !== accountSid) return notFound(path);

    if (resource === "/Messages.json" && method === "POST") return handleCreate(accountSid, params);
    if (resource === "/Messages.json") return listMessagesReply(accountSid, path, params, [...inbound, ...messages]);
    if (resource === ".json") {
      const token = options.accounts[accountSid] ?? "";
      return { status: 200, body: accountResource(accountSid, token, now()) };
    }
    return senders.routeNumbers(method, accountSid, resource, path, params) ?? notFound(path);
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? "/", "http://stand-in");
      const method = req.method ?? "GET";
      const form =
        method === "POST" ? new URLSearchParams(await readRequestText(req, MAX_REQUEST_BYTES)) : new URLSearchParams();
      const params = new URLSearchParams([...url.searchParams, ...form]);
      requests.push({ method, path: url.pathname, params: groupParams(params) });
      const reply = await route(method, url.pathname, params, req.headers.authorization);
      sendReply(res, reply);
    } catch {
      sendReply(res, errorReply({ status: 500, code: 20500, message: "Internal Server Error" }));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  selfUrl = `http://${host}:${address.port}`;

  return {
    url: selfUrl,
    messages,
    requests,
    logInbound(message) {
      const logged: StandInMessage = {
        sid: `SM${randomBytes(16).toString("hex")}`,
        accountSid: message.accountSid,
        to: message.to,
        from: message.from,
        messagingServiceSid: message.messagingServiceSid ?? null,
        body: message.body,
        mediaUrls: [],
        statusCallback: null,
        dateCreated: message.dateCreated ?? now(),
        direction: "inbound",
        status: "received",
        errorCode: message.errorCode ?? null,
      };
      inbound.push(logged);
      return logged;
    },
    setMessageStatus(sid, status, errorCode = null) {
      const message = messages.find((m) => m.sid === sid);
      if (!message) throw new Error(`the stand-in created no message ${sid}`);
      message.status = status;
      message.errorCode = errorCode;
    },
    injectFault(fault) {
      faults.push(fault);
    },
    clearFaults() {
      faults.clear();
    },
    addMedia(item) {
      const sid = item.sid ?? `ME${randomBytes(16).toString("hex")}`;
      media.set(`${item.accountSid}/${item.messageSid}/${sid}`, {
        ...item,
        sid,
        delayMs: item.delayMs ?? 0,
        chunked: item.chunked ?? false,
        storageKey: randomBytes(16).toString("hex"),
        dateCreated: now(),
      });
      return `https://api.twilio.com/${API_VERSION}/Accounts/${item.accountSid}/Messages/${item.messageSid}/Media/${sid}`;
    },
    mediaDownloads,
    async close() {
      for (const release of pendingDelays) release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Twilio's request checks for a create, with Twilio's error codes and messages. */
function validateCreate(params: URLSearchParams, owned: string[]): TwilioErrorReply | null {
  const to = params.get("To") ?? "";
  const from = params.get("From") ?? "";
  const service = params.get("MessagingServiceSid") ?? "";
  const body = params.get("Body") ?? "";
  const media = params.getAll("MediaUrl").filter((url) => url !== "");
  if (to === "") return { status: 400, code: 21604, message: "A 'To' phone number is required." };
  if (from === "" && service === "") return { status: 400, code: 21603, message: "A 'From' phone number is required." };
  if (body === "" && media.length === 0) return { status: 400, code: 21602, message: "Message body is required." };
  if (!E164.test(to) && !RCS_ADDRESS.test(to)) {
    return { status: 400, code: 21211, message: `Invalid 'To' Phone Number: ${to}` };
  }
  if (service !== "" && !MESSAGING_SERVICE_SID.test(service)) {
    return { status: 400, code: 21701, message: `The Messaging Service Sid ${service} is invalid.` };
  }
  if (from !== "" && owned.length > 0 && !owned.includes(from)) {
    return {
      status: 400,
      code: 21606,
      message: `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`,
    };
  }
  if ([...body].length > MAX_BODY_CHARS) {
    return { status: 400, code: 21617, message: "The concatenated message body exceeds the 1600 character limit." };
  }
  return null;
}

function messageResource(m: StandInMessage): Record<string, unknown> {
  const uri = `/${API_VERSION}/Accounts/${m.accountSid}/Messages/${m.sid}`;
  const created = rfc2822(m.dateCreated);
  return {
    account_sid: m.accountSid,
    api_version: API_VERSION,
    body: m.body,
    date_created: created,
    date_sent: created,
    date_updated: created,
    direction: m.direction,
    error_code: m.errorCode,
    error_message: null,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: String(m.mediaUrls.length),
    num_segments: String(countSegments(m.body)),
    price: null,
    price_unit: "USD",
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `${uri}/Media.json`, feedback: `${uri}/Feedback.json` },
    to: m.to,
    uri: `${uri}.json`,
  };
}

function listMessagesReply(
  accountSid: string,
  path: string,
  params: URLSearchParams,
  all: readonly StandInMessage[],
): Reply {
  const toParam = params.get("To");
  const to = toParam === null ? null : normaliseAddress(toParam);
  const from = params.get("From");
  const after = parseDateFilter(params.get("DateSent>"));
  const before = parseDateFilter(params.get("DateSent<"));
  const matching = all
    .filter((m) => m.accountSid === accountSid)
    .filter((m) => to === null || m.to === to)
    .filter((m) => from === null || m.from === from)
    .filter((m) => after === null || m.dateCreated.getTime() >= after)
    .filter((m) => before === null || m.dateCreated.getTime() <= before)
    // Twilio lists newest first.
    // Twilio lists newest first; among equal times the later-added first.
    .map((m, index) => ({ m, index }))
    .sort((a, b) => b.m.dateCreated.getTime() - a.m.dateCreated.getTime() || b.index - a.index)
    .map(({ m }) => m);
  return { status: 200, body: page("messages", path, params, matching.map(messageResource)) };
}

function accountResource(sid: string, authToken: string, at: Date): Record<string, unknown> {
  const base = `/${API_VERSION}/Accounts/${sid}`;
  const sub = (name: string) => `${base}/${name}.json`;
  return {
    // Twilio returns the token to its own account holder; the stand-in does the same.
    auth_token: authToken,
    date_created: rfc2822(at),
    date_updated: rfc2822(at),
    friendly_name: "Local stand-in account",
    owner_account_sid: sid,
    sid,
    status: "active",
    subresource_uris: {
      available_phone_numbers: sub("AvailablePhoneNumbers"),
      calls: sub("Calls"),
      conferences: sub("Conferences"),
      incoming_phone_numbers: sub("IncomingPhoneNumbers"),
      notifications: sub("Notifications"),
      outgoing_caller_ids: sub("OutgoingCallerIds"),
      recordings: sub("Recordings"),
      transcriptions: sub("Transcriptions"),
      addresses: sub("Addresses"),
      signing_keys: sub("SigningKeys"),
      connect_apps: sub("ConnectApps"),
      sip: sub("SIP"),
      authorized_connect_apps: sub("AuthorizedConnectApps"),
      usage: sub("Usage"),
      keys: sub("Keys"),
      applications: sub("Applications"),
      short_codes: sub("SMS/ShortCodes"),
      queues: sub("Queues"),
      messages: sub("Messages"),
      balance: sub("Balance"),
    },
    type: "Full",
    uri: `${base}.json`,
  };
}

/** The Media resource (api.v2010.account.message.media). */
function mediaResource(m: StoredMedia): Record<string, unknown> {
  return {
    account_sid: m.accountSid,
    content_type: m.contentType,
    date_created: rfc2822(m.dateCreated),
    date_updated: rfc2822(m.dateCreated),
    parent_sid: m.messageSid,
    sid: m.sid,
    uri: `/${API_VERSION}/Accounts/${m.accountSid}/Messages/${m.messageSid}/Media/${m.sid}.json`,
  };
}

/**
 * Rough segment count: GSM-7 (160 / 153 per part, extension characters take two septets) when every character
 * is in the GSM alphabet, otherwise UCS-2 (70 / 67 per part, counted in UTF-16 units).
 */
export function countSegments(body: string): number {
  if (body === "") return 1;
  let septets = 0;
  for (const char of body) {
    if (GSM_BASIC.includes(char)) septets += 1;
    else if (GSM_EXTENSION.includes(char)) septets += 2;
    else return body.length <= 70 ? 1 : Math.ceil(body.length / 67);
  }
  return septets <= 160 ? 1 : Math.ceil(septets / 153);
}

const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENSION = "^{}\\[~]|€\f";

function defaultFaultCode(status: number): number {
  return status === 401 ? 20003 : 20000 + status;
}

function defaultFaultText(status: number, code: number): string {
  const known: Record<number, string> = {
    20003: "Authenticate",
    20429: "Too Many Requests",
    21211: "Invalid 'To' Phone Number",
    21610: "Attempt to send to unsubscribed recipient",
  };
  return known[code] ?? (status >= 500 ? serverErrorText(status) : "Bad Request");
}

/** `RCS:+1...` is kept as `rcs:+1...`; anything else as given. */
function normaliseAddress(address: string): string {
  const rcs = RCS_ADDRESS.exec(address);
  return rcs ? `rcs:${rcs[1]}` : address;
}

function serverErrorText(status: number): string {
  const known: Record<number, string> = { 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout" };
  return known[status] ?? "Internal Server Error";
}

/** Accepts what Twilio accepts for DateSent filters: ISO 8601, YYYY-MM-DD, RFC 2822. */
function parseDateFilter(value: string | null): number | null {
  if (value === null || value === "") return null;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}

function sleep(ms: number, pending: Set<() => void>): Promise<void> {
  return new Promise((resolve) => {
    const release = () => {
      clearTimeout(timer);
      pending.delete(release);
      resolve();
    };
    const timer = setTimeout(release, ms);
    pending.add(release);
  });
}
