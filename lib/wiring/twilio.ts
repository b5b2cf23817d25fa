import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { RuntimeAccount } from "../config/types.ts";
import { configuredWebhookUrl } from "../inbound/webhook-routing.ts";
import { SecretResolver } from "../secrets/secret-resolver.ts";
import { secretsManagerFetcher } from "../secrets/secrets-manager-fetcher.ts";
import { looksLikeTwilioAuthToken } from "../twilio/auth-token-shape.ts";
import { createTwilioRestClient, DEFAULT_TWILIO_TIMEOUT_MS } from "../twilio/rest-client.ts";
import { memo } from "./memo.ts";
import { stageBaseUrl } from "./runtime-env.ts";
import { traceAwsClient, traceTwilioClient } from "./tracing.ts";

export const secrets = memo(
  () => new SecretResolver(secretsManagerFetcher(traceAwsClient(new SecretsManagerClient({})))),
);

/** `SMS_TWILIO_TIMEOUT_SECONDS` (default 10): how long one Twilio REST request may take. */
export const twilioTimeoutMs = memo(() => {
  const value = process.env.SMS_TWILIO_TIMEOUT_SECONDS;
  if (value === undefined || value === "") return DEFAULT_TWILIO_TIMEOUT_MS;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 60) {
    throw new Error(`SMS_TWILIO_TIMEOUT_SECONDS: expected seconds from 0 to 60, got "${value}"`);
  }
  return seconds * 1000;
});

export function twilioFor(account: RuntimeAccount) {
  const resolver = secrets();
  return {
    client: traceTwilioClient(
      createTwilioRestClient({
        accountSid: account.accountSid,
        authToken: () => resolver.resolve(account.authToken),
        timeoutMs: twilioTimeoutMs(),
        ...(process.env.TWILIO_API_BASE_URL ? { baseUrl: process.env.TWILIO_API_BASE_URL } : {}),
      }),
      account.id,
    ),
    refreshToken: () => resolver.invalidate(account.authToken),
    tokenLooksSet: async () => looksLikeTwilioAuthToken(await resolver.resolve(account.authToken)),
  };
}

export function statusCallbackUrl(account: RuntimeAccount): string {
  return configuredWebhookUrl(account, stageBaseUrl());
}
