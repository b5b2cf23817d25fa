import type { RuntimeAccount, RuntimeConfig } from "../config/types.ts";
import type { Log } from "../log/log.ts";
import type { Metrics } from "../metrics/metrics.ts";
import type { OptOutStore } from "../store/opt-out-store.ts";
import type { ReplyStore } from "../store/reply-store.ts";
import type { StatusStore } from "../store/status-store.ts";
import type { TwilioRestClient } from "../twilio/rest-client.ts";

export type TwilioClient = TwilioRestClient;

/** A Twilio client for one account; `refreshToken` drops the cached auth token (after Twilio 20003). */
export interface AccountTwilio {
  client: TwilioClient;
  refreshToken(): void;
  /** False when the auth-token secret holds no Twilio auth token (32 hex characters): its generated placeholder. */
  tokenLooksSet(): Promise<boolean>;
}

/** Who owns which Twilio message (lib/store/status-store.ts): what tells identical replies' messages apart. */
export type MessageLedger = Pick<StatusStore, "owners" | "recordSend">;

export interface OutboundDeps {
  config: RuntimeConfig;
  replies: ReplyStore;
  optOuts: OptOutStore;
  statuses: MessageLedger;
  twilioFor(account: RuntimeAccount): AccountTwilio;
  /** The account's webhook URL; the send adds the status callback's retry overrides. */
  statusCallbackUrl(account: RuntimeAccount): string;
  now: () => number;
  log: Log;
  metrics: Metrics;
  /** Default CLAIM_LEASE_MS; the local gateway may shorten it so a restart after a crash resumes sooner. */
  claimLeaseMs?: number;
}

export type DeliveryOutcome =
  | { kind: "sent"; sids: string[] }
  | { kind: "already-finished"; state: string }
  | { kind: "refused"; reason: string }
  | { kind: "failed"; reason: string }
  /** Another attempt on the same reply recorded a chunk first and carries on; this one stopped sending. */
  | { kind: "superseded"; reason: string };
