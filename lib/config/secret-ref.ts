/**
 * Where a secret lives. `env` reads a process environment variable (the seed's SecretRef); `aws` names a Secrets
 * Manager secret by name or ARN. The value itself never appears in config passed to a function.
 */
export interface SecretRef {
  source: "env" | "aws";
  provider?: string;
  id: string;
}

export function describeSecretRef(ref: SecretRef): string {
  return ref.source === "env" ? `env:${ref.id}` : `aws-secrets-manager:${ref.id}`;
}
