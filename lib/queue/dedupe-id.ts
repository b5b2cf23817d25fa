import { createHash } from "node:crypto";
import { numberOf } from "../access/address.ts";

/** SQS FIFO ids allow at most 128 characters; longer ids are replaced by a digest that stays unique. */
export function fifoId(value: string): string {
  return value.length <= 128 ? value : `sha256:${createHash("sha256").update(value).digest("hex")}`;
}

/** One FIFO group per person: an RCS message and an SMS from the same number stay in order with each other. */
export function turnGroupId(account: string, sender: string): string {
  return fifoId(`${account}:${numberOf(sender)}`);
}

export function replyGroupId(account: string, recipient: string): string {
  return fifoId(`${account}:${numberOf(recipient)}`);
}
