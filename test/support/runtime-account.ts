import { DEFAULT_RATE_LIMITS } from "../../lib/config/policy.ts";
import type { RuntimeAccount } from "../../lib/config/types.ts";

/**
 * An enabled account "default" sending from +15551234567, pairing, echo agent, signatures checked; `overrides`
 * replace any of it. An override of `undefined` removes the key (e.g. `{ fromNumber: undefined,
 * messagingServiceSid }` for an account that sends through a Messaging Service only).
 */
export function runtimeAccount(overrides: Partial<RuntimeAccount> = {}): RuntimeAccount {
  const account: RuntimeAccount = {
    id: "default",
    enabled: true,
    accountSid: `AC${"1".repeat(32)}`,
    authToken: { source: "env", id: "TWILIO_AUTH_TOKEN" },
    fromNumber: "+15551234567",
    webhookPath: "/webhooks/sms",
    dmPolicy: "pairing",
    allowFrom: [],
    dangerouslyDisableSignatureValidation: false,
    inboundRateLimit: { ...DEFAULT_RATE_LIMITS },
    agent: { kind: "echo" },
    agentConfigured: false,
    ...overrides,
  };
  for (const key of Object.keys(overrides) as Array<keyof RuntimeAccount>) {
    if (overrides[key] === undefined) delete (account as Partial<RuntimeAccount>)[key];
  }
  return account;
}
