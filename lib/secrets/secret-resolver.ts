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

  /**
   * The secret's value. A Secrets Manager secret may hold the bare value or JSON with it under `field` (handy when
   * one secret holds several keys): `authToken` for Twilio tokens, `apiKey` for an agent's API key.
   */
  async resolve(ref: SecretRef, field: SecretField = "authToken"): Promise<string> {
    if (ref.source === "env") {
      const value = this.env[ref.id];
      if (!value) throw new Error(`secret env:${ref.id} is not set`);
      return value;
    }
    const secretId = this.secretIdFor(ref);
    const cached = this.cache.get(secretId);
    // The raw secret is cached, so one JSON secret can serve several fields.
    if (cached && this.now() - cached.at < CACHE_MS) return extractValue(cached.value, secretId, field);
    if (!this.fetcher) throw new Error(`secret ${secretId}: no Secrets Manager client configured`);
    const raw = await this.fetcher.getSecretString(secretId);
    const value = extractValue(raw, secretId, field);
    this.cache.set(secretId, { value: raw, at: this.now() });
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

  /**
   * Providers "stack" and "stack-agent-key": the id is an account id, mapped to the secret the stack created (or
   * imported) in SMS_AUTH_TOKEN_SECRET_ARNS or SMS_AGENT_API_KEY_SECRET_ARNS.
   */
  private secretIdFor(ref: SecretRef): string {
    const mapName = ref.provider === undefined ? undefined : STACK_SECRET_MAPS[ref.provider];
    if (mapName === undefined) return ref.id;
    const arns = JSON.parse(this.env[mapName] ?? "{}") as Record<string, string>;
    const arn = arns[ref.id];
    if (!arn) throw new Error(`${mapName} has no secret for account "${ref.id}"`);
    return arn;
  }
}

export type SecretField = "authToken" | "apiKey";

const STACK_SECRET_MAPS: Readonly<Record<string, string>> = {
  stack: "SMS_AUTH_TOKEN_SECRET_ARNS",
  "stack-agent-key": "SMS_AGENT_API_KEY_SECRET_ARNS",
};

/** A secret holds the bare value, or JSON with it under `field`. */
function extractValue(raw: string, secretId: string, field: SecretField): string {
  const trimmed = raw.trim();
  if (trimmed.startsWith("{")) {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(trimmed) as Record<string, unknown>;
    } catch {
      // JSON.parse's own message quotes the text around the error, which would be part of the secret.
      throw new Error(`secret ${secretId}: starts with "{" but is not valid JSON`);
    }
    const value = parsed[field];
    if (typeof value !== "string" || value === "") {
      throw new Error(`secret ${secretId}: JSON secret needs a non-empty "${field}" field`);
    }
    return value;
  }
  if (trimmed === "") throw new Error(`secret ${secretId} is empty`);
  return trimmed;
}
