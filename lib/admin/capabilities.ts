import { DM_POLICIES, type DmPolicy } from "../config/policy.ts";
import type { RuntimeConfig } from "../config/types.ts";
import { TARGET_FORMS } from "./target.ts";

export interface Capabilities {
  channel: "sms";
  provider: "twilio";
  text: true;
  media: { inbound: true; outbound: true; maxPerMessage: number };
  /** Twilio's limit for one message body; longer replies are split into several messages. */
  maxBodyChars: number;
  markdown: "rendered-as-plain-text";
  policies: readonly DmPolicy[];
  targets: readonly string[];
  accounts: string[];
  defaultAccount: string;
}

/** What the channel can do, for tools deciding how to use it. Static apart from the configured account ids. */
export function describeCapabilities(config: RuntimeConfig): Capabilities {
  return {
    channel: "sms",
    provider: "twilio",
    text: true,
    media: { inbound: true, outbound: true, maxPerMessage: 10 },
    maxBodyChars: 1600,
    markdown: "rendered-as-plain-text",
    policies: DM_POLICIES,
    targets: TARGET_FORMS,
    accounts: config.accounts.map((account) => account.id),
    defaultAccount: config.defaultAccount,
  };
}
