import { describe, expect, it } from "vitest";
import { DEFAULT_FAILURE_REPLY } from "../../../lib/config/agent-config.ts";
import { toLocalRuntimeConfig } from "../../../lib/config/local-config.ts";
import { resolveConfig } from "../../../lib/config/resolve.ts";
import { issuesOf, SID, sms } from "./config-issues.ts";

const ACCOUNT = { accountSid: SID, authToken: "t", fromNumber: "+15551234567" };
const OLLAMA = { kind: "openai", baseUrl: "http://127.0.0.1:11434/v1/", model: "llama3.2" };

describe("config: agent", () => {
  it("defaults to the echo agent and says it was not configured", () => {
    const [account] = resolveConfig(sms(ACCOUNT)).accounts;
    expect(account?.agent).toEqual({ kind: "echo" });
    expect(account?.agentConfigured).toBe(false);
  });

  it("fills an OpenAI-compatible agent's defaults and trims the base URL", () => {
    const [account] = resolveConfig(sms({ ...ACCOUNT, agent: OLLAMA })).accounts;
    expect(account?.agent).toEqual({
      kind: "openai",
      baseUrl: "http://127.0.0.1:11434/v1",
      model: "llama3.2",
      timeoutMs: 60_000,
      history: 20,
      failureReply: DEFAULT_FAILURE_REPLY,
    });
    expect(account?.agentConfigured).toBe(true);
  });

  it("takes a Bedrock agent with a model id, inference profile or ARN", () => {
    const modelId =
      "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0";
    const agent = { kind: "bedrock", modelId, region: "eu-west-1", history: 0, failureReply: "" };
    const [account] = resolveConfig(sms({ ...ACCOUNT, agent })).accounts;
    expect(account?.agent).toEqual({ kind: "bedrock", modelId, region: "eu-west-1", history: 0, failureReply: "" });
  });

  it("named accounts inherit the top-level agent, or set their own", () => {
    const config = resolveConfig(
      sms({
        ...ACCOUNT,
        agent: OLLAMA,
        accounts: {
          support: { fromNumber: "+15559990000", agent: { kind: "echo" } },
          sales: { fromNumber: "+15558880000" },
        },
      }),
    );
    expect(config.accounts.map((account) => [account.id, account.agent.kind])).toEqual([
      ["default", "openai"],
      ["support", "echo"],
      ["sales", "openai"],
    ]);
  });

  it("names every bad agent value by key path, next to the other problems", () => {
    expect(
      issuesOf(
        sms({
          ...ACCOUNT,
          accountSid: "AC1",
          agent: {
            kind: "openai",
            baseUrl: "http://api.example.com/v1",
            history: 500,
            apiKey: { source: "vault", id: "" },
          },
        }),
      ),
    ).toEqual([
      "channels.sms.accountSid: expected a Twilio Account SID: AC followed by 32 hex characters",
      "channels.sms.agent.model: required: expected a model name, e.g. gpt-4o-mini, llama3.2 or openclaw:main",
      'channels.sms.agent.apiKey: expected a key or a SecretRef such as { source: "env", id: "OPENAI_API_KEY" }',
      "channels.sms.agent.history: expected at most 100 messages",
    ]);
    expect(issuesOf(sms({ ...ACCOUNT, agent: { kind: "gpt" } }))).toEqual([
      'channels.sms.agent.kind: expected kind "openai", "bedrock", "echo", "queue"',
    ]);
    expect(issuesOf(sms({ ...ACCOUNT, agent: { ...OLLAMA, baseUrl: "http://api.example.com/v1" } }))).toEqual([
      "channels.sms.agent.baseUrl: expected an https URL (plain http is allowed only for loopback hosts such as 127.0.0.1)",
    ]);
    expect(issuesOf(sms({ ...ACCOUNT, agent: { ...OLLAMA, baseUrl: "https://me:sk-1@gw.example/v1" } }))).toEqual([
      "channels.sms.agent.baseUrl: expected no user:password in the URL: put the key in apiKey",
    ]);
    expect(
      issuesOf(sms({ ...ACCOUNT, agent: { ...OLLAMA, baseUrl: "https://x.openai.azure.com/v1?api-version=1" } })),
    ).toEqual([
      "channels.sms.agent.baseUrl: expected no query string or fragment: /chat/completions is appended to the path",
    ]);
    expect(issuesOf(sms({ ...ACCOUNT, agent: { ...OLLAMA, model: "  " } }))).toEqual([
      "channels.sms.agent.model: required: expected a model name, e.g. gpt-4o-mini, llama3.2 or openclaw:main",
    ]);
    for (const modelId of ["*", "anthropic.*", "arn:aws:bedrock:*:*:foundation-model/*"]) {
      expect(issuesOf(sms({ ...ACCOUNT, agent: { kind: "bedrock", modelId } }))).toEqual([
        "channels.sms.agent.modelId: expected one model, without wildcards (the function may call exactly what is configured)",
      ]);
    }
    expect(
      issuesOf(
        sms({ ...ACCOUNT, agent: { kind: "bedrock", modelId: "us.amazon.nova-lite-v1:0", region: "eu-west-1" } }),
      ),
    ).toEqual([
      "channels.sms.agent.region: a us. inference profile is called from one of its Regions: us-east-1, us-east-2, us-west-1, us-west-2",
    ]);
    expect(issuesOf(sms({ ...ACCOUNT, agent: { kind: "bedrock", modelId: "m", region: "Mars" } }))).toEqual([
      "channels.sms.agent.region: expected an AWS region such as us-east-1",
    ]);
  });

  it("refuses 'queue' beside built-in agents: the turns queue has one consumer", () => {
    expect(
      issuesOf(
        sms({ ...ACCOUNT, agent: { kind: "queue" }, accounts: { b: { fromNumber: "+15559990000", agent: OLLAMA } } }),
      ),
    ).toEqual([
      'channels.sms.agent: kind "queue" leaves the turns queue to your own consumer, which would then also get the other accounts\' turns: use "queue" for every enabled account or for none',
    ]);
  });

  it("locally, an inline API key becomes an env entry the runtime config only references", () => {
    const resolved = resolveConfig(sms({ ...ACCOUNT, agent: { ...OLLAMA, apiKey: "sk-secret" } }));
    const { runtime, secretEnv } = toLocalRuntimeConfig(resolved);
    expect(JSON.stringify(runtime)).not.toContain("sk-secret");
    expect(runtime.accounts[0]?.agent).toMatchObject({
      apiKey: { source: "env", id: "SMS_LOCAL_AGENT_API_KEY_DEFAULT" },
    });
    expect(secretEnv.SMS_LOCAL_AGENT_API_KEY_DEFAULT).toBe("sk-secret");
  });
});
