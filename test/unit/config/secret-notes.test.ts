import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../../lib/config/resolve.ts";
import { secretsOnAws, unsetEnvSecrets } from "../../../lib/config/secret-notes.ts";
import { SID, sms } from "./config-issues.ts";

const config = resolveConfig(
  sms({
    accountSid: SID,
    authToken: { source: "env", id: "MY_TWILIO_TOKEN" },
    fromNumber: "+15551234567",
    agent: {
      kind: "openai",
      baseUrl: "https://api.openai.com/v1",
      model: "m",
      apiKey: { source: "env", id: "OPENAI_KEY" },
    },
    accounts: {
      other: { fromNumber: "+15559990000", authToken: { source: "aws", id: "prod/twilio" }, agent: { kind: "echo" } },
    },
  }),
);

describe("secret references", () => {
  it("names every env reference whose variable is not set, by key path (the local gateway refuses to start)", () => {
    expect(unsetEnvSecrets(config, { MY_TWILIO_TOKEN: "set" })).toEqual([
      "channels.sms.agent.apiKey: environment variable OPENAI_KEY is not set (export it, or write the value in the config)",
    ]);
    expect(unsetEnvSecrets(config, { MY_TWILIO_TOKEN: "x", OPENAI_KEY: "y" })).toEqual([]);
  });

  it("says plainly what an env or inline secret becomes on AWS", () => {
    const notes = secretsOnAws(config);
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(/^Note: channels\.sms\.authToken \(env MY_TWILIO_TOKEN\): on AWS the Twilio auth token/);
    expect(notes[1]).toMatch(/^Note: channels\.sms\.agent\.apiKey \(env OPENAI_KEY\): on AWS the agent API key/);
    expect(notes.join("\n")).not.toContain("accounts.other");
  });
});
