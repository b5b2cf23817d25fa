import { E164 } from "./phone.ts";

/**
 * Who wrote, as Twilio addresses them: a phone number for SMS/MMS, `rcs:+<number>` for an RCS user (any case of
 * the prefix, as Twilio and the seed accept it). Access, opt-outs and rate limits belong to the number, whichever
 * channel carried the message; replies go back through the channel the message came in on.
 */
export type Channel = "sms" | "rcs";

export interface SenderAddress {
  channel: Channel;
  /** E.164 */
  number: string;
}

/** `+E164` or `rcs:+E164` (prefix lowercased), the spellings a turn's `from` and a reply's `to` may take. */
export const SENDER_ADDRESS = /^(rcs:)?\+[1-9]\d{1,14}$/;
/** The channel's own side: a Twilio number, or an RCS sender id (`rcs:<agent id>`). */
export const CHANNEL_ADDRESS = /^(\+[1-9]\d{1,14}|rcs:[A-Za-z0-9][A-Za-z0-9_.-]{0,127})$/;

const RCS_PREFIX = /^rcs:/i;

export function parseSenderAddress(value: string): SenderAddress | null {
  const channel: Channel = RCS_PREFIX.test(value) ? "rcs" : "sms";
  const number = channel === "rcs" ? value.slice("rcs:".length) : value;
  return E164.test(number) ? { channel, number } : null;
}

/** The channel's number or RCS sender a message was written to, with the prefix lowercased; null if neither. */
export function parseChannelAddress(value: string): string | null {
  const normalised = value.replace(RCS_PREFIX, "rcs:");
  return CHANNEL_ADDRESS.test(normalised) ? normalised : null;
}

export function formatSenderAddress(address: SenderAddress): string {
  return address.channel === "rcs" ? `rcs:${address.number}` : address.number;
}

/** The number behind a turn's `from` or a reply's `to`; the input itself when it carries no channel prefix. */
export function numberOf(address: string): string {
  return address.replace(RCS_PREFIX, "");
}
