import type { RuntimeAccount, RuntimeConfig } from "../config/types.ts";

/** The account whose webhookPath is the API Gateway resource that was called. */
export function accountForPath(config: RuntimeConfig, resourcePath: string): RuntimeAccount | undefined {
  const normalised = resourcePath.replace(/\/+$/, "") || "/";
  return config.accounts.find((account) => account.enabled && account.webhookPath === normalised);
}

/** The URL Twilio was told to call: publicWebhookUrl (custom domain), else the stage URL plus the path. */
export function configuredWebhookUrl(
  account: Pick<RuntimeAccount, "publicWebhookUrl" | "webhookPath">,
  stageBaseUrl: string,
): string {
  return account.publicWebhookUrl ?? `${stageBaseUrl.replace(/\/+$/, "")}${account.webhookPath}`;
}
