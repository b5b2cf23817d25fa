import type { RuntimeAccount, RuntimeConfig } from "../config/types.ts";
import { AdminError } from "./admin-error.ts";

/** The named account, or the config's defaultAccount; an unknown id is a 404 that lists the configured ones. */
export function accountFor(config: RuntimeConfig, id: string | undefined): RuntimeAccount {
  const wanted = id ?? config.defaultAccount;
  const account = config.accounts.find((candidate) => candidate.id === wanted);
  if (account) return account;
  const known = config.accounts.map((candidate) => candidate.id).join(", ") || "none";
  throw new AdminError(
    404,
    "account_not_found",
    `account: no SMS account "${wanted}" (configured: ${known})`,
    "account",
  );
}
