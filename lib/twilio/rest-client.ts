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
  capabilities: { sms: boolean; mms: boolean };
}

export interface TwilioRestClient {
  sendMessage(input: SendMessageInput): Promise<TwilioMessage>;
  listMessages(query: ListMessagesQuery): Promise<TwilioMessage[]>;
  fetchAccount(): Promise<TwilioAccount>;
  findIncomingNumber(phoneNumber: string): Promise<TwilioIncomingNumber | null>;
  /** GET /v1/Services/{sid} on the Messaging host; an unknown sid is a TwilioApiError (HTTP 404). */
  fetchMessagingService(sid: string): Promise<TwilioMessagingService>;
  /** POST IncomingPhoneNumbers/{sid}.json with SmsUrl and SmsMethod; answers the number as Twilio now has it. */
  updateIncomingNumberWebhook(sid: string, webhook: InboundWebhook): Promise<TwilioIncomingNumber>;
  /** POST /v1/Services/{sid} with InboundRequestUrl and InboundMethod; answers the service as Twilio now has it. */
  updateMessagingServiceWebhook(sid: string, webhook: InboundWebhook): Promise<TwilioMessagingService>;
  /** GET /v1/Services/{sid}/PhoneNumbers: the service's numbers (E.164), up to 1000 (one page). */
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

    async updateIncomingNumberWebhook(sid, webhook) {
      const json = await request({
        operation: "updateIncomingNumberWebhook",
        method: "POST",
        path: `${accountPath}/IncomingPhoneNumbers/${encodeURIComponent(sid)}.json`,
        form: new URLSearchParams({ SmsUrl: webhook.url, SmsMethod: webhook.method }),
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
      const json = await request({
        operation: "listMessagingServiceNumbers",
        method: "GET",
        host: "messaging",
        path: `/v1/Services/${encodeURIComponent(sid)}/PhoneNumbers`,
        query: new URLSearchParams({ PageSize: "1000" }),
      });
      const items = isRecord(json) && Array.isArray(json.phone_numbers) ? json.phone_numbers : [];
      return items.flatMap((item) =>
        isRecord(item) && typeof item.phone_number === "string" ? [item.phone_number] : [],
      );
    },
  };
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
