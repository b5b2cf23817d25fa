import type { ConfigIssue } from "./config-error.ts";
import { accountKeyPath } from "./policy.ts";
import type { ResolvedConfig } from "./types.ts";

const SIGNATURE_KEY = "dangerouslyDisableSignatureValidation";

/**
 * Said at synth for each key the default account took from this shell's variables (the seed's env fallbacks): the
 * value is built into the deployed functions and stays until a deploy without it. The auth token is left to the
 * secret notes, which say what an env SecretRef becomes on AWS.
 */
export function envFallbackNotes(config: ResolvedConfig): string[] {
  return Object.entries(config.fromEnv ?? {})
    .filter(([path]) => !path.endsWith(".authToken"))
    .map(
      ([path, variable]) =>
        `Note: ${path} comes from ${variable} in this shell; the deployed functions keep it until you deploy without it.`,
    );
}

/**
 * Signature checks stay on in every deployed account: the API Gateway URL is public, so without them anyone who finds
 * it can forge messages from any number. Turning them off is for tunnel testing with the local gateway only.
 */
export function signatureChecksOffOnAws(config: ResolvedConfig): ConfigIssue[] {
  return config.accounts
    .filter((account) => account.enabled && account.dangerouslyDisableSignatureValidation)
    .map((account) => {
      const path = `${accountKeyPath(account.id)}.${SIGNATURE_KEY}`;
      const variable = config.fromEnv?.[path];
      return {
        path: variable ? `${path} (from ${variable})` : path,
        message:
          "signature checks cannot be turned off in a deployed stack (its webhook URL is public: anyone could forge " +
          "messages); it is for tunnel testing with the local gateway only. Remove it, or unset the variable",
      };
    });
}
