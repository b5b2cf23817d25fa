import type { ResolvedAgent, RuntimeAgent } from "./agent-config.ts";
import type { DmPolicy, InboundRateLimits } from "./policy.ts";
import type { SecretRef } from "./secret-ref.ts";

/** An auth token written inline in a local config file: usable by the local gateway, never shipped to AWS. */
export interface InlineSecret {
  source: "inline";
  value: string;
}

/** One Twilio sender after inheritance, env fallbacks and validation. */
export interface ResolvedAccount {
  id: string;
  enabled: boolean;
  accountSid: string;
  authToken: SecretRef | InlineSecret;
  fromNumber?: string;
  messagingServiceSid?: string;
  publicWebhookUrl?: string;
  webhookPath: string;
  dmPolicy: DmPolicy;
  /** Normalised E.164 numbers, or "*" under the open policy. */
  allowFrom: string[];
  /** Owners told of each new pairing request by SMS (normalised E.164); none when unset. */
  notifyTo?: string[];
  defaultTo?: string;
  textChunkLimit?: number;
  dangerouslyDisableSignatureValidation: boolean;
  inboundRateLimit: InboundRateLimits;
  /** Who answers this account's turns; the echo agent when the config names none. */
  agent: ResolvedAgent;
  /** False when `agent` was left out (start and synth say the echo agent answers). */
  agentConfigured: boolean;
}

export interface ResolvedConfig {
  defaultAccount: string;
  accounts: ResolvedAccount[];
  /** `channels.sms.monitoring`: deploy-wide, used by the stack only. */
  monitoring?: { alarmEmail?: string; tracing?: boolean };
  /** The default account's keys that came from environment variables (key path → variable), said at synth. */
  fromEnv?: Record<string, string>;
}

/** What a function receives: the resolved config with every secret as a reference. */
export interface RuntimeAccount extends Omit<ResolvedAccount, "authToken" | "agent"> {
  authToken: SecretRef;
  agent: RuntimeAgent;
}

export interface RuntimeConfig {
  version: 1;
  defaultAccount: string;
  accounts: RuntimeAccount[];
}
