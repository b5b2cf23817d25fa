/**
 * The signed webhooks the forgery suites cut up: an SMS with two media and a Body that holds capitalised words
 * (each a possible parameter name) and the word Body, and an RCS button tap. Each call makes a fresh MessageSid.
 */
import type { Turn } from "../../lib/queue/messages.ts";
import type { Pairs } from "./forged-webhooks.ts";

export const FORGED_BODY = "pay the invoice Do not pay twice. Call Dana, Each Desk Copy, Even Cedric (Body copy)";

export interface OriginalMessage {
  pairs: Pairs;
  /** What the untouched webhook makes of it, for an allowlisted sender. */
  expected: Pick<Turn, "channel" | "from" | "to" | "text" | "messageSid" | "media">;
}

let counter = 0;

export function smsWithMedia(accountSid: string, from: string, to: string): OriginalMessage {
  const sid = `MM${(++counter).toString(16).padStart(32, "0")}`;
  const media = [0, 1].map((index) => ({
    url: `https://api.twilio.com/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media/ME${String(index).repeat(32)}`,
    contentType: index === 0 ? "image/jpeg" : "image/png",
  }));
  return {
    pairs: [
      ["ToCountry", "US"],
      ["MediaContentType0", media[0]?.contentType ?? ""],
      ["MediaContentType1", media[1]?.contentType ?? ""],
      ["SmsMessageSid", sid],
      ["NumMedia", "2"],
      ["SmsSid", sid],
      ["SmsStatus", "received"],
      ["Body", FORGED_BODY],
      ["To", to],
      ["NumSegments", "1"],
      ["MediaUrl0", media[0]?.url ?? ""],
      ["MediaUrl1", media[1]?.url ?? ""],
      ["MessageSid", sid],
      ["AccountSid", accountSid],
      ["From", from],
      ["ApiVersion", "2010-04-01"],
    ],
    expected: { channel: "sms", from, to, text: FORGED_BODY, messageSid: sid, media },
  };
}

export function rcsButtonTap(accountSid: string, from: string, to: string): OriginalMessage {
  const sid = `SM${(++counter).toString(16).padStart(32, "0")}`;
  return {
    pairs: [
      ["SmsMessageSid", sid],
      ["NumMedia", "0"],
      ["SmsSid", sid],
      ["SmsStatus", "received"],
      ["Body", "No"],
      ["ButtonText", "No"],
      ["ButtonPayload", "cancel_order"],
      ["To", to],
      ["NumSegments", "1"],
      ["MessageSid", sid],
      ["AccountSid", accountSid],
      ["From", `rcs:${from}`],
      ["ApiVersion", "2010-04-01"],
    ],
    expected: { channel: "rcs", from: `rcs:${from}`, to, text: "No", messageSid: sid, media: [] },
  };
}
