import * as z from "zod/mini";
import { CHANNEL_ADDRESS, SENDER_ADDRESS } from "../access/address.ts";
import { MESSAGE_SID } from "../twilio/sids.ts";

/**
 * The two queue contracts. Agents in any language use the JSON Schemas generated from these
 * (`schemas/*.schema.json`, kept in sync by a test), so every field carries a description. zod/mini keeps the
 * consumers' bundles small (the classic API adds ~440 KB); every check names what it expected.
 */

const described = <T extends z.ZodMiniType>(schema: T, description: string): T => schema.check(z.describe(description));

/** The longest text a turn carries; the webhook refuses longer bodies, so nothing it accepts breaks this contract. */
export const MAX_TURN_TEXT = 4096;
/** Inbound media a turn carries; the webhook keeps the first ones and counts the rest in `mediaOmitted`. */
export const MAX_TURN_MEDIA = 10;

const senderAddress = (description: string) =>
  described(
    z.string().check(z.regex(SENDER_ADDRESS, "expected an E.164 number such as +15551234567, or rcs:+15551234567")),
    description,
  );
const accountId = described(
  z.string().check(z.minLength(1, "expected an account id"), z.maxLength(32, "expected at most 32 characters")),
  'Channel account id ("default" unless accounts are configured)',
);
const version = described(z.literal(1, "expected 1"), "Contract version; a breaking change increments it");

export const mediaItemSchema = z.strictObject({
  url: described(
    z
      .url({ protocol: /^https?$/, error: "expected an http(s) URL" })
      .check(z.regex(/^https?:\/\/[\x21-\x7e]+$/, "expected an http(s) URL of printable ASCII")),
    "Twilio media URL of the inbound MMS part (its Media resource)",
  ),
  contentType: described(
    z.string().check(z.minLength(1, "expected a MIME type")),
    "MIME type Twilio reported, e.g. image/jpeg",
  ),
});

export const turnSchema = described(
  z.strictObject({
    version,
    turnId: described(
      z.string().check(z.minLength(1, "expected a turn id"), z.maxLength(128, "expected at most 128 characters")),
      "Stable id: <account>:<MessageSid>. Use it as inReplyTo",
    ),
    account: accountId,
    channel: described(
      z.enum(["sms", "rcs"], 'expected "sms" or "rcs"'),
      "How the message came in: SMS/MMS, or RCS (then from starts with rcs:)",
    ),
    messageSid: z.string().check(z.regex(MESSAGE_SID, "expected a Twilio MessageSid (SM/MM + 32 hex)")),
    from: senderAddress("Sender: reply to exactly this address (+E164 for SMS, rcs:+E164 for RCS)"),
    to: described(
      z.string().check(z.regex(CHANNEL_ADDRESS, "expected an E.164 number or an rcs: sender id")),
      "The channel's Twilio number (or RCS sender, rcs:<id>) the sender wrote to",
    ),
    text: described(
      z.string().check(z.maxLength(MAX_TURN_TEXT, `expected at most ${MAX_TURN_TEXT} characters`)),
      "Message body as received (may be empty for media-only MMS)",
    ),
    media: described(
      z.array(mediaItemSchema).check(z.maxLength(MAX_TURN_MEDIA, `expected at most ${MAX_TURN_MEDIA} items`)),
      `Inbound MMS media, at most ${MAX_TURN_MEDIA}`,
    ),
    mediaOmitted: z.optional(
      described(
        z.int().check(z.minimum(1, "expected at least 1")),
        `Media Twilio announced that are not in media: beyond the first ${MAX_TURN_MEDIA}, or without a usable URL`,
      ),
    ),
    receivedAt: described(
      z.iso.datetime("expected an ISO 8601 date-time"),
      "When the webhook accepted the message (ISO 8601, UTC)",
    ),
  }),
  "An agent turn: one approved inbound SMS, on the turns FIFO queue (group: <account>:<from>)",
);

export const replySchema = described(
  z
    .strictObject({
      version,
      replyId: described(
        z
          .string()
          .check(z.regex(/^[A-Za-z0-9:._-]{1,100}$/, "expected 1-100 characters of letters, digits and : . _ -")),
        "Idempotency key: the same replyId is delivered at most once",
      ),
      account: accountId,
      to: senderAddress("Recipient: +E164 (SMS) or rcs:+E164 (RCS); a turn's from is always right"),
      text: described(
        z.string().check(z.maxLength(20_000, "expected at most 20000 characters")),
        "Markdown or plain text; rendered to SMS-friendly plain text and chunked",
      ),
      media: z.optional(
        described(
          z
            .array(z.url({ protocol: /^https$/, error: "expected a public https URL" }))
            .check(z.maxLength(10, "expected at most 10 items")),
          "Up to 10 public https media URLs, sent with the first chunk",
        ),
      ),
      inReplyTo: z.optional(
        described(
          z.string().check(z.maxLength(128, "expected at most 128 characters")),
          "The turnId this answers, if any",
        ),
      ),
      kind: z.optional(
        described(
          z.enum(["agent", "pairing", "system"], 'expected "agent", "pairing" or "system"'),
          "Who wrote it: the agent (default), the pairing flow, or an operator/system send",
        ),
      ),
    })
    .check(
      z.refine((reply) => reply.text.trim() !== "" || (reply.media?.length ?? 0) > 0, {
        message: "expected a non-empty text or at least one media URL",
        path: ["text"],
      }),
    ),
  "A reply for the outbound sender, on the replies FIFO queue (group: <account>:<to>)",
);

export type Turn = z.infer<typeof turnSchema>;
export type Reply = z.infer<typeof replySchema>;

/** Parses a queue body; the error names each bad field, e.g. `reply.to: expected an E.164 number`. */
export function parseQueueMessage<T>(schema: z.ZodMiniType<T>, body: string, name: "turn" | "reply"): T {
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
