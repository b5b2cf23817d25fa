/**
 * A small Twilio REST adapter on global fetch (the `twilio` package is too heavy for a Lambda cold start).
 * It covers exactly what the channel needs: send a message, list recent messages (to reconcile an ambiguous send,
 * and for `status --probe`), fetch the account, look up an incoming number and fetch a Messaging Service (for
 * `status --probe`), and point a number or a service at the webhook (for `webhook set`).
 */
import { TwilioTimeoutError, twilioApiErrorFromResponse } from "./api-errors.ts";
import {
  createMessageForm,
  type InboundWebhook,
  isRecord,
  type ListMessagesQuery,
  listMessagesQuery,
  parseMessagingService,
  parseTwilioMessage,
  type SendMessageInput,
  stringOrNull,
  type TwilioMessage,
  type TwilioMessagingService,
} from "./message-params.ts";

export type {
  InboundWebhook,
  ListMessagesQuery,
  SendMessageInput,
  TwilioMessage,
  TwilioMessagingService,
} from "./message-params.ts";

export const DEFAULT_TWILIO_API_BASE_URL = "https://api.twilio.com";
/** Messaging v1 (Services) lives on its own host. */
export const DEFAULT_TWILIO_MESSAGING_BASE_URL = "https://messaging.twilio.com";
export const DEFAULT_TWILIO_TIMEOUT_MS = 10_000;
/** Messaging v1 lists answer at most 1000 items a page. */
const MAX_MESSAGING_PAGE_SIZE = 1000;

export interface TwilioRestClientOptions {
  accountSid: string;
  /** Resolved on every request so a rotated token is picked up; the caller caches it (Secrets Manager on AWS). */
  authToken: () => Promise<string>;
  /**
   * Default https://api.twilio.com (and https://messaging.twilio.com for Messaging v1); the caller passes
   * TWILIO_API_BASE_URL here to point at a stand-in or proxy. An override replaces both hosts: the paths do not
   * overlap (/2010-04-01/... vs /v1/...), so one stand-in serves both.
   */
  baseUrl?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface TwilioAccount {
  sid: string;
  status: string;
  friendlyName: string;
  type: string;
}

export interface TwilioIncomingNumber {
  sid: string;
  phoneNumber: string;
  smsUrl: string | null;
  smsMethod: string | null;
  /** An SMS TwiML App on the number: while set, Twilio ignores every sms_*_url and calls the app's URL instead. */
  smsApplicationSid: string | null;
  capabilities: { sms: boolean; mms: boolean };
}

export interface NumberWebhookOptions {
  /** Also posts an empty SmsApplicationSid, which removes the number's SMS TwiML App so that SmsUrl is used. */
  clearSmsApplication?: boolean;
}

export interface TwilioRestClient {
  sendMessage(input: SendMessageInput): Promise<TwilioMessage>;
  listMessages(query: ListMessagesQuery): Promise<TwilioMessage[]>;
  fetchAccount(): Promise<TwilioAccount>;
  findIncomingNumber(phoneNumber: string): Promise<TwilioIncomingNumber | null>;
  /** GET /v1/Services/{sid} on the Messaging host; an unknown sid is a TwilioApiError (HTTP 404). */
  fetchMessagingService(sid: string): Promise<TwilioMessagingService>;
  /** POST IncomingPhoneNumbers/{sid}.json with SmsUrl and SmsMethod; answers the number as Twilio now has it. */
  updateIncomingNumberWebhook(
    sid: string,
    webhook: InboundWebhook,
    options?: NumberWebhookOptions,
  ): Promise<TwilioIncomingNumber>;
  /** POST /v1/Services/{sid} with InboundRequestUrl and InboundMethod; answers the service as Twilio now has it. */
  updateMessagingServiceWebhook(sid: string, webhook: InboundWebhook): Promise<TwilioMessagingService>;
  /** GET /v1/Services/{sid}/PhoneNumbers: all of the service's numbers (E.164), following meta.next_page_url. */
  listMessagingServiceNumbers(sid: string): Promise<string[]>;
}

interface TwilioRequest {
  operation: string;
  method: "GET" | "POST";
  /** Which Twilio host the path belongs to; default "api". */
  host?: "api" | "messaging";
  path: string;
  query?: URLSearchParams;
  form?: URLSearchParams;
  /** Values that must never reach an error message besides the token (e.g. the message body). */
  secrets?: string[];
}

export function createTwilioRestClient(options: TwilioRestClientOptions): TwilioRestClient {
  const baseUrl = (options.baseUrl ?? DEFAULT_TWILIO_API_BASE_URL).replace(/\/+$/, "");
  // Same override for both hosts (see baseUrl above).
  const messagingBaseUrl = (options.baseUrl ?? DEFAULT_TWILIO_MESSAGING_BASE_URL).replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? DEFAULT_TWILIO_TIMEOUT_MS;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const accountPath = `/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}`;

  async function request(req: TwilioRequest): Promise<unknown> {
    const token = await options.authToken();
    const query = req.query?.toString();
    const base = req.host === "messaging" ? messagingBaseUrl : baseUrl;
    const url = `${base}${req.path}${query ? `?${query}` : ""}`;
    const headers: Record<string, string> = {
      authorization: `Basic ${Buffer.from(`${options.accountSid}:${token}`, "utf8").toString("base64")}`,
      accept: "application/json",
    };
    if (req.form) headers["content-type"] = "application/x-www-form-urlencoded";

    let status: number;
    let text: string;
    try {
      const response = await fetchImpl(url, {
        method: req.method,
        headers,
        body: req.form?.toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw new TwilioTimeoutError(req.operation, isTimeout(error) ? "timeout" : "network", { cause: error });
    }

    if (status < 200 || status >= 300) {
      throw twilioApiErrorFromResponse(req.operation, status, text, [token, ...(req.secrets ?? [])]);
    }
    try {
      return JSON.parse(text);
    } catch {
      // A 2xx we cannot read: for a create, Twilio most likely accepted it, so this is not safely retryable.
      throw new TwilioTimeoutError(req.operation, "unreadable-response");
    }
  }

  function readMessage(operation: string, json: unknown): TwilioMessage {
    const message = parseTwilioMessage(json);
    if (!message) throw new TwilioTimeoutError(operation, "unreadable-response");
    return message;
  }

  return {
    async sendMessage(input) {
      const json = await request({
        operation: "sendMessage",
        method: "POST",
        path: `${accountPath}/Messages.json`,
        form: createMessageForm(input),
        secrets: input.body === undefined ? [] : [input.body],
      });
      return readMessage("sendMessage", json);
    },

    async listMessages(query) {
      const json = await request({
        operation: "listMessages",
        method: "GET",
        path: `${accountPath}/Messages.json`,
        query: listMessagesQuery(query),
      });
      const items = isRecord(json) && Array.isArray(json.messages) ? json.messages : [];
      return items.map((item) => readMessage("listMessages", item));
    },

    async fetchAccount() {
      const json = await request({ operation: "fetchAccount", method: "GET", path: `${accountPath}.json` });
      if (!isRecord(json) || typeof json.sid !== "string") {
        throw new TwilioTimeoutError("fetchAccount", "unreadable-response");
      }
      // The account resource also carries auth_token: deliberately not copied.
      return {
        sid: json.sid,
        status: stringOrNull(json.status) ?? "unknown",
        friendlyName: stringOrNull(json.friendly_name) ?? "",
        type: stringOrNull(json.type) ?? "unknown",
      };
    },

    async findIncomingNumber(phoneNumber) {
      const json = await request({
        operation: "findIncomingNumber",
        method: "GET",
        path: `${accountPath}/IncomingPhoneNumbers.json`,
        query: new URLSearchParams({ PhoneNumber: phoneNumber }),
      });
      const items = isRecord(json) && Array.isArray(json.incoming_phone_numbers) ? json.incoming_phone_numbers : [];
      // Twilio's PhoneNumber filter also matches partial numbers; only an exact match counts.
      const match = items.find((item) => isRecord(item) && item.phone_number === phoneNumber);
      return isRecord(match) ? toIncomingNumber(match, phoneNumber) : null;
    },

    async fetchMessagingService(sid) {
      const json = await request({
        operation: "fetchMessagingService",
        method: "GET",
        host: "messaging",
        path: `/v1/Services/${encodeURIComponent(sid)}`,
      });
      return readService("fetchMessagingService", json);
    },

    async updateIncomingNumberWebhook(sid, webhook, options = {}) {
      const form = new URLSearchParams({ SmsUrl: webhook.url, SmsMethod: webhook.method });
      // Twilio's "remove the app" is an empty value (the spec's AP... pattern describes a set one).
      if (options.clearSmsApplication) form.append("SmsApplicationSid", "");
      const json = await request({
        operation: "updateIncomingNumberWebhook",
        method: "POST",
        path: `${accountPath}/IncomingPhoneNumbers/${encodeURIComponent(sid)}.json`,
        form,
      });
      if (!isRecord(json) || typeof json.phone_number !== "string") {
        throw new TwilioTimeoutError("updateIncomingNumberWebhook", "unreadable-response");
      }
      return toIncomingNumber(json, json.phone_number);
    },

    async updateMessagingServiceWebhook(sid, webhook) {
      const json = await request({
        operation: "updateMessagingServiceWebhook",
        method: "POST",
        host: "messaging",
        path: `/v1/Services/${encodeURIComponent(sid)}`,
        form: new URLSearchParams({ InboundRequestUrl: webhook.url, InboundMethod: webhook.method }),
      });
      return readService("updateMessagingServiceWebhook", json);
    },

    async listMessagingServiceNumbers(sid) {
      const path = `/v1/Services/${encodeURIComponent(sid)}/PhoneNumbers`;
      const numbers: string[] = [];
      const asked = new Set<string>();
      let query: URLSearchParams | null = new URLSearchParams({ PageSize: String(MAX_MESSAGING_PAGE_SIZE) });
      while (query !== null) {
        // A next page already read would loop for ever: the answer cannot be trusted.
        if (asked.has(query.toString()))
          throw new TwilioTimeoutError("listMessagingServiceNumbers", "unreadable-response");
        asked.add(query.toString());
        const json = await request({
          operation: "listMessagingServiceNumbers",
          method: "GET",
          host: "messaging",
          path,
          query,
        });
        const items = isRecord(json) && Array.isArray(json.phone_numbers) ? json.phone_numbers : [];
        for (const item of items) {
          if (isRecord(item) && typeof item.phone_number === "string") numbers.push(item.phone_number);
        }
        query = nextPageQuery("listMessagingServiceNumbers", json);
      }
      return numbers;
    },
  };
}

/**
 * The query of a Messaging v1 list's `meta.next_page_url` (null on the last page). Only its query is kept: the next
 * page is asked of the same path on the configured host, so credentials never follow a URL to another host.
 */
function nextPageQuery(operation: string, json: unknown): URLSearchParams | null {
  const next = isRecord(json) && isRecord(json.meta) ? json.meta.next_page_url : null;
  if (next === null || next === undefined || next === "") return null;
  if (typeof next !== "string" || !URL.canParse(next)) throw new TwilioTimeoutError(operation, "unreadable-response");
  return new URL(next).searchParams;
}

function readService(operation: string, json: unknown): TwilioMessagingService {
  const service = parseMessagingService(json);
  if (!service) throw new TwilioTimeoutError(operation, "unreadable-response");
  return service;
}

function toIncomingNumber(json: Record<string, unknown>, phoneNumber: string): TwilioIncomingNumber {
  const capabilities = isRecord(json.capabilities) ? json.capabilities : {};
  return {
    sid: stringOrNull(json.sid) ?? "",
    phoneNumber,
    smsUrl: stringOrNull(json.sms_url) || null,
    smsMethod: stringOrNull(json.sms_method) || null,
    smsApplicationSid: stringOrNull(json.sms_application_sid) || null,
    // JSON uses lowercase keys; the XML-flavoured uppercase spelling is accepted too.
    capabilities: {
      sms: capabilities.sms === true || capabilities.SMS === true,
      mms: capabilities.mms === true || capabilities.MMS === true,
    },
  };
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
}
