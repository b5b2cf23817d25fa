import { readFileSync } from "node:fs";
import JSON5 from "json5";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../../lib/config/resolve.ts";
import { SID, sms } from "./config-issues.ts";

const README = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");

/** The `agent: {...}` entries of the README's Agents section, as written there. */
function documentedAgents(): string[] {
  const section = README.slice(README.indexOf("## Agents"));
  const block = /```json5\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block
    .split("\n")
    .filter((line) => !line.trim().startsWith("//"))
    .join("\n")
    .split(/(?=agent:)/)
    .filter((entry) => entry.trim().startsWith("agent:"));
}

describe("the README's agent configs", () => {
  it("are three, and each is a valid config as written", () => {
    const agents = documentedAgents();
    expect(agents).toHaveLength(3);
    for (const entry of agents) {
      const { agent } = JSON5.parse(`{ ${entry} }`) as { agent: Record<string, unknown> };
      const [account] = resolveConfig(
        sms({ accountSid: SID, authToken: "t", fromNumber: "+15551234567", agent }),
      ).accounts;
      expect(account?.agent.kind).toBe(agent.kind);
    }
  });
});
