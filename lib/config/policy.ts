export const DM_POLICIES = ["pairing", "allowlist", "open", "disabled"] as const;
export type DmPolicy = (typeof DM_POLICIES)[number];

export const DEFAULT_WEBHOOK_PATH = "/webhooks/sms";
export const DEFAULT_ACCOUNT_ID = "default";

/** Where an account's settings sit in the config file, for messages that name a key. */
export function accountKeyPath(accountId: string): string {
  return accountId === DEFAULT_ACCOUNT_ID ? "channels.sms" : `channels.sms.accounts.${accountId}`;
}
export const DEFAULT_RATE_LIMITS = { perSenderPerMinute: 30, perAccountPerMinute: 300 } as const;

export interface InboundRateLimits {
  perSenderPerMinute: number;
  perAccountPerMinute: number;
}
