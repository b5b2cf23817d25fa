import type { RuntimeAccount, RuntimeConfig } from "../config/types.ts";
import type { Log } from "../log/log.ts";
import type { QueuePublisher } from "../queue/publisher.ts";
import type { AccessStore } from "../store/access-store.ts";
import type { ConversationStore } from "../store/conversation-store.ts";
import type { OptOutStore } from "../store/opt-out-store.ts";
import type { StatsStore } from "../store/stats-store.ts";
import type { TwilioRestClient } from "../twilio/rest-client.ts";
import type { DeadLetterPort, DlqName } from "./dead-letters.ts";

/** What the admin use-cases need; lib/wiring/admin.ts builds it from the environment, tests from emulators. */
export interface AdminDeps {
  config: RuntimeConfig;
  access: Pick<AccessStore, "read" | "approve" | "removePending" | "revoke">;
  queues: Pick<QueuePublisher, "sendReply">;
  /** Who texted STOP: sends to them are refused, and `status` counts them. */
  optOuts: Pick<OptOutStore, "isOptedOut" | "count">;
  /** Today's drop counters per account (rate limits), for `status`. */
  stats: Pick<StatsStore, "droppedToday">;
  /** The agent's memory per sender, for `conversation show|reset`. */
  conversations: Pick<ConversationStore, "read" | "save">;
  /** Messages waiting in the two dead-letter queues, for `status`. */
  deadLetters(): Promise<{ turns: number; replies: number }>;
  /** The two dead-letter queues, for `dlq list|redrive|purge`. */
  deadLetterQueues: Record<DlqName, DeadLetterPort>;
  /** Only `status --probe` talks to Twilio. */
  twilioFor(account: RuntimeAccount): { client: TwilioRestClient };
  /** The API Gateway stage URL (or the local gateway's base URL): the webhook URL when publicWebhookUrl is unset. */
  stageBaseUrl: string;
  now: () => number;
  /** Random id for operator sends (crypto.randomUUID). */
  newId: () => string;
  log: Log;
}
