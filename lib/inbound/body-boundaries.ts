import type { Channel } from "../access/address.ts";
import type { WebhookForm } from "./webhook-form.ts";
import { quoted, WebhookInputError } from "./webhook-input-error.ts";

/**
 * Twilio signs the sorted names and values joined with no separator, so a captured request can be re-cut and keep
 * its signature: the end of Body turned into a new parameter (`Body=pay the invoice &Do=not pay twice`), or Body's
 * start folded into the parameter before it. Both only work across Body's neighbours in that sorted order, so
 * Body must be there exactly once and its neighbours must be parameters whose values cannot absorb free text:
 * before it AccountSid or ApiVersion (checked values) or AddOns (JSON, checked with the swallowed parameters); after it From (an address) or, on RCS, the
 * button parameters Twilio sends there. Those are optional, so Body could swallow them whole: on RCS a Body that
 * holds one of their names is refused too. Twilio's other parameters, known or new, sort elsewhere and are accepted.
 */
const BEFORE_BODY = new Set(["AccountSid", "ApiVersion", "AddOns"]);
const AFTER_BODY: Readonly<Record<Channel, ReadonlySet<string>>> = {
  sms: new Set(["From"]),
  rcs: new Set(["ButtonPayload", "ButtonText", "ChannelMetadata", "From"]),
};

export function checkBodyBoundaries(form: WebhookForm, channel: Channel): void {
  if (!form.has("Body")) throw new WebhookInputError("Body", "Body: missing; Twilio sends it with every message");
  const order = form.signedOrder();
  const at = order.indexOf("Body");
  const before = order[at - 1];
  const after = order[at + 1];
  if (before !== undefined && !BEFORE_BODY.has(before)) {
    throw new WebhookInputError(
      "next-to-Body",
      `parameter ${quoted(before)}: Twilio sends no such parameter next to Body`,
    );
  }
  if (after !== undefined && !AFTER_BODY[channel].has(after)) {
    throw new WebhookInputError(
      "next-to-Body",
      `parameter ${quoted(after)}: Twilio sends no such parameter next to Body`,
    );
  }
}
