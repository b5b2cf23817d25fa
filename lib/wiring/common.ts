import { readRuntimeConfig } from "../config/runtime.ts";
import type { RuntimeAccount, RuntimeConfig } from "../config/types.ts";
import { configuredWebhookUrl } from "../inbound/webhook-routing.ts";
import { QueuePublisher } from "../queue/publisher.ts";
import { sqsClient } from "../queue/sqs-client.ts";
import { SecretResolver } from "../secrets/secret-resolver.ts";
import { secretsManagerFetcher } from "../secrets/secrets-manager-fetcher.ts";
import { AccessStore } from "../store/access-store.ts";
import { dynamoClient, requiredEnv } from "../store/dynamo-client.ts";
import { createTwilioRestClient } from "../twilio/rest-client.ts";

/** Built once per container from the environment the stack (or the local gateway) sets. */
function memo<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= build();
    return value;
  };
}

export const runtimeConfig = memo((): RuntimeConfig => readRuntimeConfig(process.env));
export const tableName = memo(() => requiredEnv("SMS_TABLE_NAME"));
export const stageBaseUrl = memo(() => requiredEnv("SMS_WEBHOOK_BASE_URL"));
export const secrets = memo(() => new SecretResolver(secretsManagerFetcher()));
export const accessStore = memo(() => new AccessStore(dynamoClient(), tableName()));
export const publisher = memo(
  () =>
    new QueuePublisher(sqsClient(), {
      turns: requiredEnv("SMS_TURNS_QUEUE_URL"),
      replies: requiredEnv("SMS_REPLIES_QUEUE_URL"),
    }),
);

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
