import type { SmsChannel } from "./sms-channel.ts";

export function addSmsChannelNagSuppressions(_channel: SmsChannel): void {}
