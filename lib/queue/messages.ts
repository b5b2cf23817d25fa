import { z } from "zod";

/**
 * The two queue contracts. Agents in any language use the JSON Schemas generated from these
 * (`schemas/*.schema.json`, kept in sync by a test), so every field carries a description.
 */

const e164 = z
  .string()
  .regex(/^\+[1-9]\d{1,14}$/, "expected an E.164 number such as +15551234567")
  .describe("Phone number in E.164 form");
const accountId = z.string().min(1).max(32).describe('Channel account id ("default" unless accounts are configured)');

export const mediaItemSchema = z.strictObject({
  url: z.url().describe("Twilio media URL of the inbound MMS part"),
  contentType: z.string().min(1).describe("MIME type Twilio reported, e.g. image/jpeg"),
});

export const turnSchema = z
  .strictObject({
    version: z.literal(1).describe("Contract version; a breaking change increments it"),
    turnId: z.string().min(1).max(128).describe("Stable id: <account>:<MessageSid>. Use it as inReplyTo"),
    account: accountId,
    channel: z.literal("sms"),
    messageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, "expected a Twilio MessageSid (SM/MM + 32 hex)"),
    from: e164.describe("Sender: reply to this number"),
    to: e164.describe("The channel's Twilio number the sender wrote to"),
    text: z.string().max(1600).describe("Message body as received (may be empty for media-only MMS)"),
    media: z.array(mediaItemSchema).max(10).describe("Inbound MMS media, at most 10"),
    receivedAt: z.iso.datetime().describe("When the webhook accepted the message (ISO 8601, UTC)"),
  })
  .describe("An agent turn: one approved inbound SMS, on the turns FIFO queue (group: <account>:<from>)");

export const replySchema = z
  .strictObject({
    version: z.literal(1).describe("Contract version; a breaking change increments it"),
    replyId: z
      .string()
      .regex(/^[A-Za-z0-9:._-]{1,100}$/, "expected 1-100 characters of letters, digits and : . _ -")
      .describe("Idempotency key: the same replyId is delivered at most once"),
    account: accountId,
    to: e164.describe("Recipient"),
    text: z.string().max(20_000).describe("Markdown or plain text; rendered to SMS-friendly plain text and chunked"),
    media: z
      .array(z.url({ protocol: /^https$/, error: "expected a public https URL" }))
      .max(10)
      .optional()
      .describe("Up to 10 public https media URLs, sent with the first chunk"),
    inReplyTo: z.string().max(128).optional().describe("The turnId this answers, if any"),
    kind: z
      .enum(["agent", "pairing", "system"])
      .optional()
      .describe("Who wrote it: the agent (default), the pairing flow, or an operator/system send"),
  })
  .refine((reply) => reply.text.trim() !== "" || (reply.media?.length ?? 0) > 0, {
    message: "expected a non-empty text or at least one media URL",
    path: ["text"],
  })
  .describe("A reply for the outbound sender, on the replies FIFO queue (group: <account>:<to>)");

export type Turn = z.infer<typeof turnSchema>;
export type Reply = z.infer<typeof replySchema>;

/** Parses a queue body; the error names each bad field, e.g. `reply.to: expected an E.164 number`. */
export function parseQueueMessage<T>(schema: z.ZodType<T>, body: string, name: "turn" | "reply"): T {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new QueueMessageError(`${name}: body is not JSON`);
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const detail = result.error.issues
    .map((issue) => `${[name, ...issue.path.map(String)].join(".")}: ${issue.message}`)
    .join("; ");
  throw new QueueMessageError(detail);
}

export class QueueMessageError extends Error {
  override name = "QueueMessageError";
}
