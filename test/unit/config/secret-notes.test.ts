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

  it("counts a variable set to whitespace only as unset, and names the account's key path", () => {
    expect(unsetEnvSecrets(config, { MY_TWILIO_TOKEN: " \t", OPENAI_KEY: "y" })).toEqual([
      "channels.sms.authToken: environment variable MY_TWILIO_TOKEN is not set (export it, or write the value in the config)",
    ]);
    const named = resolveConfig(
      sms({
        accountSid: SID,
        accounts: { support: { fromNumber: "+15551230000", authToken: { source: "env", id: "MISSING" } } },
      }),
    );
    expect(unsetEnvSecrets(named, {})).toEqual([
      "channels.sms.accounts.support.authToken: environment variable MISSING is not set (export it, or write the value in the config)",
    ]);
  });

  it("says plainly what an env or inline secret becomes on AWS", () => {
    const notes = secretsOnAws(config);
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(
      /^Note: channels\.sms\.authToken \(env MY_TWILIO_TOKEN, which is not read on AWS\): on AWS the Twilio auth token .* is read from a Secrets Manager secret this stack creates with a placeholder/,
    );
    expect(notes[1]).toMatch(
      /^Note: channels\.sms\.agent\.apiKey \(env OPENAI_KEY, which is not read on AWS\): on AWS the agent API key/,
    );
    expect(notes.join("\n")).not.toContain("accounts.other");
  });
});
