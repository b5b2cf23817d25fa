import { describe, expect, it } from "vitest";
import { agentNotes } from "../../../lib/config/agent-notes.ts";
import { resolveConfig } from "../../../lib/config/resolve.ts";
import { SID, sms } from "./config-issues.ts";

const openai = (baseUrl: string) => ({ kind: "openai", baseUrl, model: "llama3.2" });

describe("agent notes at synth", () => {
  it("names an account without an agent: the echo agent answers it", () => {
    const config = resolveConfig(sms({ accountSid: SID, authToken: "t", fromNumber: "+15551234567" }));
    expect(agentNotes(config)).toEqual([
      'Note: SMS account "default" has no agent in the config; the built-in echo agent answers it (README, Agents).',
    ]);
  });

  it.each([
    "http://localhost:11434/v1",
    "http://127.0.0.1:18789/v1",
    "http://[::1]:8080/v1",
    "https://localhost:8443/v1",
  ])("warns that Lambda cannot reach %s, by key path", (baseUrl) => {
    const config = resolveConfig(
      sms({
        accountSid: SID,
        authToken: "t",
        fromNumber: "+15551234567",
        agent: { kind: "echo" },
        accounts: { home: { fromNumber: "+15559990000", agent: openai(baseUrl) } },
      }),
    );
    expect(agentNotes(config)).toEqual([
      `Note: channels.sms.accounts.home.agent.baseUrl (${baseUrl}) is on this machine: a Lambda function cannot ` +
        "reach it, so every turn would fail. Use an address reachable from AWS for the deployed stack (README, Agents).",
    ]);
  });

  it("says nothing of a reachable endpoint or a configured non-HTTP agent", () => {
    const config = resolveConfig(
      sms({
        accountSid: SID,
        authToken: "t",
        fromNumber: "+15551234567",
        agent: openai("https://gateway.example.com/v1"),
        accounts: { b: { fromNumber: "+15559990000", agent: { kind: "bedrock", modelId: "amazon.nova-lite-v1:0" } } },
      }),
    );
    expect(agentNotes(config)).toEqual([]);
  });
});
