import { describe, expect, it } from "vitest";
import { authTokenFor, buildInboundForm, randomMessageSid, simulationUrls } from "../../../lib/cli/simulate.ts";

describe("simulate helpers", () => {
  it("builds Twilio's inbound SMS fields", () => {
    const form = buildInboundForm({
      messageSid: `SM${"a".repeat(32)}`,
      accountSid: `AC${"b".repeat(32)}`,
      from: "+15557654321",
      to: "+15551234567",
      body: "hello",
    });
    expect(form).toMatchObject({
      MessageSid: `SM${"a".repeat(32)}`,
      SmsSid: `SM${"a".repeat(32)}`,
      AccountSid: `AC${"b".repeat(32)}`,
      From: "+15557654321",
      To: "+15551234567",
      Body: "hello",
      NumMedia: "0",
    });
    expect(form.MessagingServiceSid).toBeUndefined();
  });

  it("makes MessageSids of SM and 32 hex characters", () => {
    expect(randomMessageSid()).toMatch(/^SM[0-9a-f]{32}$/);
    expect(randomMessageSid(() => Buffer.alloc(16, 0xab))).toBe(`SM${"ab".repeat(16)}`);
  });

  it("signs the public URL when one is configured, and posts to the local gateway", () => {
    expect(simulationUrls({ webhookPath: "/webhooks/sms" }, "8787")).toEqual({
      postUrl: "http://127.0.0.1:8787/webhooks/sms",
      signedUrl: "http://127.0.0.1:8787/webhooks/sms",
    });
    expect(
      simulationUrls(
        { webhookPath: "/webhooks/sms/support", publicWebhookUrl: "https://gw.example.com/sms?x=1#rc=2" },
        "9000",
      ),
    ).toEqual({
      postUrl: "http://127.0.0.1:9000/webhooks/sms/support?x=1",
      signedUrl: "https://gw.example.com/sms?x=1",
    });
  });

  it("signs and posts where a gateway with the same HOST checks: a named host as is, every interface at 127.0.0.1", () => {
    expect(simulationUrls({ webhookPath: "/webhooks/sms" }, "8787", "localhost").signedUrl).toBe(
      "http://localhost:8787/webhooks/sms",
    );
    expect(simulationUrls({ webhookPath: "/webhooks/sms" }, "8787", "0.0.0.0").postUrl).toBe(
      "http://127.0.0.1:8787/webhooks/sms",
    );
  });

  it("finds the auth token inline, in the named env variable, or in TWILIO_AUTH_TOKEN", () => {
    expect(authTokenFor({ id: "a", authToken: { source: "inline", value: "inline-tok" } }, {})).toBe("inline-tok");
    expect(authTokenFor({ id: "a", authToken: { source: "env", id: "MY_TOKEN" } }, { MY_TOKEN: "env-tok" })).toBe(
      "env-tok",
    );
    expect(authTokenFor({ id: "a", authToken: { source: "aws", id: "arn:x" } }, { TWILIO_AUTH_TOKEN: "t" })).toBe("t");
    expect(() => authTokenFor({ id: "a", authToken: { source: "env", id: "MY_TOKEN" } }, {})).toThrow(
      /needs account "a"'s auth token: write it in the config file or set MY_TOKEN/,
    );
  });
});
