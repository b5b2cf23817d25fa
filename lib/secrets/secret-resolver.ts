import type { SecretRef } from "../config/secret-ref.ts";

export interface SecretFetcher {
  /** Reads a Secrets Manager secret's string value by name or ARN. */
  getSecretString(secretId: string): Promise<string>;
}

const CACHE_MS = 5 * 60 * 1000;

/**
 * Resolves SecretRefs, caching values across invocations of a warm container. `invalidate` forces the next read to
 * go back to the store (Twilio answered 20003: the token was rotated).
 */
export class SecretResolver {
  private readonly cache = new Map<string, { value: string; at: number }>();

  constructor(
    private readonly fetcher: SecretFetcher | undefined,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
    private readonly now: () => number = Date.now,
  ) {}

  async resolve(ref: SecretRef): Promise<string> {
    if (ref.source === "env") {
      const value = this.env[ref.id];
      if (!value) throw new Error(`secret env:${ref.id} is not set`);
      return value;
    }
    const secretId = this.secretIdFor(ref);
    const cached = this.cache.get(secretId);
    if (cached && this.now() - cached.at < CACHE_MS) return cached.value;
    if (!this.fetcher) throw new Error(`secret ${secretId}: no Secrets Manager client configured`);
    const value = extractToken(await this.fetcher.getSecretString(secretId), secretId);
    this.cache.set(secretId, { value, at: this.now() });
    return value;
  }

  /**
   * Re-reads a Secrets Manager secret if the cached value is at least `minAgeMs` old, and returns it; undefined when
   * there is nothing newer to try (env secrets, or a value read moments ago). The floor keeps forged requests from
   * turning into one GetSecretValue call each.
   */
  async refreshIfOlderThan(ref: SecretRef, minAgeMs: number): Promise<string | undefined> {
    if (ref.source !== "aws") return undefined;
    const cached = this.cache.get(this.secretIdFor(ref));
    if (cached && this.now() - cached.at < minAgeMs) return undefined;
    this.invalidate(ref);
    return this.resolve(ref);
  }

  invalidate(ref: SecretRef): void {
    if (ref.source === "aws") this.cache.delete(this.secretIdFor(ref));
  }

  /** provider "stack": the id is an account id, mapped to the secret the stack created (SMS_AUTH_TOKEN_SECRET_ARNS). */
  private secretIdFor(ref: SecretRef): string {
    if (ref.provider !== "stack") return ref.id;
    const arns = JSON.parse(this.env.SMS_AUTH_TOKEN_SECRET_ARNS ?? "{}") as Record<string, string>;
    const arn = arns[ref.id];
    if (!arn) throw new Error(`SMS_AUTH_TOKEN_SECRET_ARNS has no secret for account "${ref.id}"`);
    return arn;
  }
}

/** A secret holds the bare token, or JSON with an `authToken` field (handy when one secret holds several keys). */
function extractToken(raw: string, secretId: string): string {
  const trimmed = raw.trim();
  if (trimmed.startsWith("{")) {
    const parsed = JSON.parse(trimmed) as { authToken?: unknown };
    if (typeof parsed.authToken !== "string" || parsed.authToken === "") {
      throw new Error(`secret ${secretId}: JSON secret needs a non-empty "authToken" field`);
    }
    return parsed.authToken;
  }
  if (trimmed === "") throw new Error(`secret ${secretId} is empty`);
  return trimmed;
}
