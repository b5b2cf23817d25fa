import type { RuntimeAccount } from "../config/types.ts";
import { configuredWebhookUrl } from "../inbound/webhook-routing.ts";
import { SecretResolver } from "../secrets/secret-resolver.ts";
import { secretsManagerFetcher } from "../secrets/secrets-manager-fetcher.ts";
import { createTwilioRestClient } from "../twilio/rest-client.ts";
import { memo } from "./memo.ts";
import { stageBaseUrl } from "./runtime-env.ts";

export const secrets = memo(() => new SecretResolver(secretsManagerFetcher()));

export function twilioFor(account: RuntimeAccount) {
  const resolver = secrets();
  return {
    client: createTwilioRestClient({
      accountSid: account.accountSid,
      authToken: () => resolver.resolve(account.authToken),
      ...(process.env.TWILIO_API_BASE_URL ? { baseUrl: process.env.TWILIO_API_BASE_URL } : {}),
    }),
    refreshToken: () => resolver.invalidate(account.authToken),
  };
}

export function statusCallbackUrl(account: RuntimeAccount): string {
  return configuredWebhookUrl(account, stageBaseUrl());
}
