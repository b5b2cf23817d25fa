/**
 * Pure translation between the adapter's camelCase shapes and Twilio's wire formats: the form-encoded Messages
 * create parameters, the list filters, and the snake_case message and Messaging Service JSON.
 */

export interface SendMessageInput {
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body?: string;
  mediaUrls?: string[];
  statusCallback?: string;
}

export interface TwilioMessage {
  sid: string;
  status: string;
  to: string;
  from: string | null;
  body: string;
  numSegments: string | null;
  dateCreated: string | null;
  errorCode: number | null;
  /** inbound, outbound-api, outbound-reply, outbound-call. */
  direction: string;
  messagingServiceSid: string | null;
}

/** The parts of a Messaging v1 Service that decide where its incoming messages go. */
export interface TwilioMessagingService {
  sid: string;
  friendlyName: string;
  /** null: the service drops incoming messages (unless its numbers' own webhooks are used). */
  inboundRequestUrl: string | null;
  inboundMethod: string | null;
  /** When true, each number's own SmsUrl is called and inboundRequestUrl is ignored. */
  useInboundWebhookOnNumber: boolean;
}

/** Where Twilio sends a sender's incoming messages. */
export interface InboundWebhook {
  url: string;
  method: "POST";
}

export interface ListMessagesQuery {
  to?: string;
  from?: string;
  dateSentAfter?: Date;
  pageSize?: number;
}

/**
 * Form parameters for POST Messages.json. From wins over MessagingServiceSid only in the sense that both are sent
 * when both are given: Twilio then sends from that number inside the service, which is what the caller asked for.
 */
export function createMessageForm(input: SendMessageInput): URLSearchParams {
  const form = new URLSearchParams();
  form.append("To", input.to);
  if (input.from !== undefined) form.append("From", input.from);
  if (input.messagingServiceSid !== undefined) form.append("MessagingServiceSid", input.messagingServiceSid);
  if (input.body !== undefined) form.append("Body", input.body);
  // Twilio takes one MediaUrl parameter per attachment, repeated.
  for (const url of input.mediaUrls ?? []) form.append("MediaUrl", url);
  if (input.statusCallback !== undefined) form.append("StatusCallback", input.statusCallback);
  return form;
}

/** Query parameters for GET Messages.json. */
export function listMessagesQuery(query: ListMessagesQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.to !== undefined) params.append("To", query.to);
  if (query.from !== undefined) params.append("From", query.from);
  // Twilio's filter has second precision; truncating widens the window, which is the safe side for reconciliation.
  if (query.dateSentAfter !== undefined) params.append("DateSent>", toIsoSeconds(query.dateSentAfter));
  if (query.pageSize !== undefined) params.append("PageSize", String(query.pageSize));
  return params;
}

/** Maps one message resource; returns null when the JSON is not a message (no sid). */
export function parseTwilioMessage(json: unknown): TwilioMessage | null {
  if (!isRecord(json) || typeof json.sid !== "string") return null;
  return {
    sid: json.sid,
    status: stringOr(json.status, "unknown"),
    to: stringOr(json.to, ""),
    from: stringOrNull(json.from),
    body: stringOr(json.body, ""),
    numSegments: stringOrNull(json.num_segments),
    dateCreated: stringOrNull(json.date_created),
    errorCode: typeof json.error_code === "number" ? json.error_code : null,
    direction: stringOr(json.direction, "unknown"),
    messagingServiceSid: stringOrNull(json.messaging_service_sid),
  };
}

/** Maps a Messaging v1 Service resource; returns null when the JSON is not one (no sid). */
export function parseMessagingService(json: unknown): TwilioMessagingService | null {
  if (!isRecord(json) || typeof json.sid !== "string") return null;
  return {
    sid: json.sid,
    friendlyName: stringOr(json.friendly_name, ""),
    // Twilio may send "" for an unset URL; both mean "not set".
    inboundRequestUrl: stringOrNull(json.inbound_request_url) || null,
    inboundMethod: stringOrNull(json.inbound_method) || null,
    useInboundWebhookOnNumber: json.use_inbound_webhook_on_number === true,
  };
}

function toIsoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}
