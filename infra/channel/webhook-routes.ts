import { ConfigError } from "../../lib/config/config-error.ts";
import { accountKeyPath } from "../../lib/config/policy.ts";
import type { ResolvedAccount } from "../../lib/config/types.ts";

export interface WebhookRoute {
  accountId: string;
  path: string;
  segments: string[];
}

/** API Gateway accepts fewer path characters than the config does; say so in config terms, not CDK's. */
export function webhookRoutes(enabled: ResolvedAccount[]): WebhookRoute[] {
  if (enabled.length === 0) {
    throw new ConfigError([
      { path: "channels.sms.enabled", message: "at least one account must be enabled to deploy" },
    ]);
  }
  const issues: ConfigError["issues"] = [];
  const seen = new Map<string, string>();
  const routes: WebhookRoute[] = [];
  for (const account of enabled) {
    const key = `${accountKeyPath(account.id)}.webhookPath`;
    const segments = account.webhookPath.split("/").filter((segment) => segment !== "");
    const path = `/${segments.join("/")}`;
    const bad = segments.find((segment) => !/^[A-Za-z0-9._-]+$/.test(segment));
    const owner = seen.get(path);
    if (bad !== undefined) {
      issues.push({ path: key, message: `API Gateway paths allow only letters, digits, . _ - (got "${bad}")` });
    } else if (owner !== undefined) {
      issues.push({ path: key, message: `"${account.webhookPath}" is the same API route as account "${owner}"` });
    } else {
      seen.set(path, account.id);
      routes.push({ accountId: account.id, path, segments });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return routes;
}
