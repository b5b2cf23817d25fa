import { describe, expect, it } from "vitest";
import { SecretResolver } from "../../../lib/secrets/secret-resolver.ts";

/** A fake Secrets Manager (the boundary) that counts reads and can change its value. */
function fakeStore(initial: Record<string, string>) {
  const values = { ...initial };
  const reads: string[] = [];
  return {
    values,
    reads,
    fetcher: {
      async getSecretString(id: string) {
        reads.push(id);
        const value = values[id];
        if (value === undefined) throw new Error(`no secret ${id}`);
        return value;
      },
    },
  };
}

describe("SecretResolver", () => {
  it("reads env references from the environment, never caching a copy", async () => {
    const env: Record<string, string> = { TOKEN: "a" };
    const resolver = new SecretResolver(undefined, env);
    expect(await resolver.resolve({ source: "env", id: "TOKEN" })).toBe("a");
    env.TOKEN = "b";
    expect(await resolver.resolve({ source: "env", id: "TOKEN" })).toBe("b");
    await expect(resolver.resolve({ source: "env", id: "MISSING" })).rejects.toThrow("secret env:MISSING is not set");
  });

  it("caches Secrets Manager values for 5 minutes, and invalidate forces a re-read", async () => {
    const store = fakeStore({ "arn:1": "token-1" });
    const clock = { now: 0 };
    const resolver = new SecretResolver(store.fetcher, {}, () => clock.now);
    const ref = { source: "aws" as const, id: "arn:1" };
    expect(await resolver.resolve(ref)).toBe("token-1");
    store.values["arn:1"] = "token-2";
    clock.now = 4 * 60_000;
    expect(await resolver.resolve(ref)).toBe("token-1");
    expect(store.reads).toHaveLength(1);
    clock.now = 5 * 60_000;
    expect(await resolver.resolve(ref)).toBe("token-2");
    store.values["arn:1"] = "token-3";
    resolver.invalidate(ref);
    expect(await resolver.resolve(ref)).toBe("token-3");
    expect(store.reads).toHaveLength(3);
  });

  it('maps provider "stack" through SMS_AUTH_TOKEN_SECRET_ARNS and reads JSON secrets\' authToken', async () => {
    const store = fakeStore({ "arn:aws:secretsmanager:eu-west-1:1:secret:sms-a": '{ "authToken": "from-json" }' });
    const env = {
      SMS_AUTH_TOKEN_SECRET_ARNS: JSON.stringify({ support: "arn:aws:secretsmanager:eu-west-1:1:secret:sms-a" }),
    };
    const resolver = new SecretResolver(store.fetcher, env);
    expect(await resolver.resolve({ source: "aws", provider: "stack", id: "support" })).toBe("from-json");
    await expect(resolver.resolve({ source: "aws", provider: "stack", id: "other" })).rejects.toThrow(
      'SMS_AUTH_TOKEN_SECRET_ARNS has no secret for account "other"',
    );
  });

  it("names the secret when its value is unusable", async () => {
    const store = fakeStore({ empty: "  ", json: '{"token":"x"}' });
    const resolver = new SecretResolver(store.fetcher, {});
    await expect(resolver.resolve({ source: "aws", id: "empty" })).rejects.toThrow("secret empty is empty");
    await expect(resolver.resolve({ source: "aws", id: "json" })).rejects.toThrow(
      'secret json: JSON secret needs a non-empty "authToken" field',
    );
  });

  it("never quotes a secret's text when it is broken JSON", async () => {
    const store = fakeStore({ broken: '{"apiKey": sk-proj-SECRETVALUE}' });
    const resolver = new SecretResolver(store.fetcher, {});
    const error = await resolver.resolve({ source: "aws", id: "broken" }).then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    expect(error?.message).toBe('secret broken: starts with "{" but is not valid JSON');
    expect(error?.message).not.toContain("sk-proj");
  });

  it("refreshIfOlderThan re-reads only a value older than the floor", async () => {
    const store = fakeStore({ s: "old" });
    const clock = { now: 0 };
    const resolver = new SecretResolver(store.fetcher, {}, () => clock.now);
    const ref = { source: "aws" as const, id: "s" };
    await resolver.resolve(ref);
    store.values.s = "new";
    clock.now = 30_000;
    expect(await resolver.refreshIfOlderThan(ref, 60_000)).toBeUndefined();
    clock.now = 60_000;
    expect(await resolver.refreshIfOlderThan(ref, 60_000)).toBe("new");
    expect(await resolver.refreshIfOlderThan({ source: "env", id: "X" }, 0)).toBeUndefined();
    expect(store.reads).toHaveLength(2);
  });
});
