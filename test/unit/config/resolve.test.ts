import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../../lib/config/load.ts";
import { resolveConfig } from "../../../lib/config/resolve.ts";
import { issuesOf, MG, SID, sms } from "./config-issues.ts";

describe("config: good", () => {
  it("resolves the seed's allowlist example", () => {
    const config = resolveConfig(
      parseConfigText(
        `{ channels: { sms: { enabled: true, accountSid: "${SID}", authToken: "twilio-auth-token",
           fromNumber: "+15551234567", publicWebhookUrl: "https://gateway.example.com/webhooks/sms",
           dmPolicy: "allowlist", allowFrom: ["+15557654321"] } } }`,
        "test",
      ),
    );
    expect(config.defaultAccount).toBe("default");
    expect(config.accounts).toHaveLength(1);
    expect(config.accounts[0]).toMatchObject({
      id: "default",
      accountSid: SID,
      authToken: { source: "inline", value: "twilio-auth-token" },
      fromNumber: "+15551234567",
      webhookPath: "/webhooks/sms",
      dmPolicy: "allowlist",
      allowFrom: ["+15557654321"],
      dangerouslyDisableSignatureValidation: false,
      inboundRateLimit: { perSenderPerMinute: 30, perAccountPerMinute: 300 },
    });
  });

  it("defaults dmPolicy to pairing", () => {
    const config = resolveConfig(sms({ accountSid: SID, authToken: "t", fromNumber: "+15551234567" }));
    expect(config.accounts[0]?.dmPolicy).toBe("pairing");
  });

  it("falls back to the seed's env variables, keeping the token as a reference", () => {
    const config = resolveConfig(sms({ enabled: true }), {
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: "secret-value",
      TWILIO_SMS_FROM: "+15551234567",
      SMS_PUBLIC_WEBHOOK_URL: "https://gw.example/webhooks/sms",
    });
    expect(config.accounts[0]).toMatchObject({
      accountSid: SID,
      authToken: { source: "env", id: "TWILIO_AUTH_TOKEN" },
      fromNumber: "+15551234567",
      publicWebhookUrl: "https://gw.example/webhooks/sms",
    });
    expect(JSON.stringify(config)).not.toContain("secret-value");
  });

  it("config keys win over env; TWILIO_PHONE_NUMBER wins over TWILIO_SMS_FROM", () => {
    const config = resolveConfig(sms({ accountSid: SID, authToken: "t" }), {
      TWILIO_ACCOUNT_SID: `AC${"c".repeat(32)}`,
      TWILIO_PHONE_NUMBER: "+15550000001",
      TWILIO_SMS_FROM: "+15550000002",
    });
    expect(config.accounts[0]?.accountSid).toBe(SID);
    expect(config.accounts[0]?.fromNumber).toBe("+15550000001");
  });

  it("accepts a SecretRef naming a Secrets Manager secret, and a Messaging Service sender", () => {
    const config = resolveConfig(
      sms({ accountSid: SID, authToken: { source: "aws", id: "prod/twilio" }, messagingServiceSid: MG }),
    );
    expect(config.accounts[0]?.authToken).toEqual({ source: "aws", id: "prod/twilio" });
    expect(config.accounts[0]?.messagingServiceSid).toBe(MG);
  });

  it("multi-account: inherits top-level values except path and URL, default paths per id", () => {
    const config = resolveConfig(
      sms({
        accountSid: SID,
        authToken: "shared",
        dmPolicy: "allowlist",
        allowFrom: ["sms:+15557654321"],
        publicWebhookUrl: "https://gw.example/webhooks/sms",
        accounts: {
          support: { fromNumber: "+15551234567", webhookPath: "/webhooks/sms/support" },
          sales: { fromNumber: "+15551234568", dmPolicy: "pairing" },
        },
        defaultAccount: "support",
      }),
    );
    expect(config.accounts.map((a) => a.id)).toEqual(["support", "sales"]);
    expect(config.defaultAccount).toBe("support");
    expect(config.accounts[0]).toMatchObject({ accountSid: SID, dmPolicy: "allowlist", allowFrom: ["+15557654321"] });
    expect(config.accounts[0]?.publicWebhookUrl).toBeUndefined();
    expect(config.accounts[1]).toMatchObject({ webhookPath: "/webhooks/sms/sales", dmPolicy: "pairing" });
  });

  it("normalises allowFrom prefixes and accepts loopback http URLs", () => {
    const config = resolveConfig(
      sms({
        accountSid: SID,
        authToken: "t",
        fromNumber: "+15551234567",
        dmPolicy: "open",
        allowFrom: ["*", "twilio-sms:+15557654321"],
        publicWebhookUrl: "http://127.0.0.1:8787/webhooks/sms",
      }),
    );
    expect(config.accounts[0]?.allowFrom).toEqual(["*", "+15557654321"]);
  });
});

describe("config: bad, every problem named by key path", () => {
  it("lists all problems at once", () => {
    const issues = issuesOf(
      sms({
        accountSid: "AC123",
        fromNumber: "5551234567",
        dmPolicy: "allowlist",
        allowFrom: ["+15557654321", "bob"],
        publicWebhookUrl: "http://gateway.example.com/webhooks/sms",
        textChunkLimit: 5000,
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^channels\.sms\.accountSid: expected a Twilio Account SID/),
        expect.stringMatching(/^channels\.sms\.textChunkLimit: /),
      ]),
    );
  });

  it("refuses a textChunkLimit below 2, which no character could be cut to", () => {
    expect(issuesOf(sms({ accountSid: SID, authToken: "t", fromNumber: "+15551234567", textChunkLimit: 1 }))).toEqual([
      "channels.sms.textChunkLimit: expected at least 2 (one character may take two UTF-16 units)",
    ]);
  });

  it("normalises notifyTo numbers and names each bad one", () => {
    const ok = resolveConfig(
      sms({
        accountSid: SID,
        authToken: "t",
        fromNumber: "+15551234567",
        notifyTo: ["sms:+15557000001", "+15557000001"],
      }),
    );
    expect(ok.accounts[0]?.notifyTo).toEqual(["+15557000001"]);
    expect(
      issuesOf(
        sms({ accountSid: SID, authToken: "t", fromNumber: "+15551234567", notifyTo: ["+15557000001", "*", 5] }),
      ),
    ).toEqual([
      'channels.sms.notifyTo[1]: expected an E.164 number such as +15551234567 (sms: / twilio-sms: prefixes allowed), got "*"',
      "channels.sms.notifyTo[2]: expected an E.164 number such as +15551234567 (sms: / twilio-sms: prefixes allowed), got 5",
    ]);
  });

  it("takes monitoring.alarmEmail at the top level only, and checks it is an address", () => {
    expect(
      issuesOf(sms({ accountSid: SID, authToken: "t", fromNumber: "+15551234567", monitoring: { alarmEmail: "ops" } })),
    ).toEqual(["channels.sms.monitoring.alarmEmail: expected an e-mail address to subscribe to the alarm topic"]);
    expect(
      issuesOf(
        sms({ accountSid: SID, authToken: "t", fromNumber: "+15551234567", accounts: { a: { monitoring: {} } } }),
      ),
    ).toEqual([expect.stringContaining("channels.sms.accounts.a")]);
  });

  it("takes monitoring.tracing as true or false, off when absent", () => {
    const base = { accountSid: SID, authToken: "t", fromNumber: "+15551234567" };
    expect(resolveConfig(sms({ ...base, monitoring: { tracing: true } })).monitoring).toEqual({ tracing: true });
    expect(resolveConfig(sms(base)).monitoring?.tracing).toBeUndefined();
    expect(issuesOf(sms({ ...base, monitoring: { tracing: "yes" } }))).toEqual([
      "channels.sms.monitoring.tracing: expected true or false (X-Ray tracing of every function and the API stage)",
    ]);
  });

  it("names each cross-field problem", () => {
    const issues = issuesOf(
      sms({
        accountSid: SID,
        fromNumber: "5551234567",
        dmPolicy: "allowlist",
        allowFrom: ["+15557654321", "bob"],
        publicWebhookUrl: "http://gateway.example.com/webhooks/sms",
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^channels\.sms\.authToken: required/),
        expect.stringMatching(/^channels\.sms\.fromNumber: expected an E\.164 number/),
        expect.stringMatching(/^channels\.sms\.allowFrom\[1\]: .*got "bob"/),
        expect.stringMatching(/^channels\.sms\.publicWebhookUrl: expected an https URL/),
      ]),
    );
  });

  it("allowlist needs a number; open needs *", () => {
    expect(
      issuesOf(sms({ accountSid: SID, authToken: "t", fromNumber: "+15551234567", dmPolicy: "allowlist" })),
    ).toEqual([expect.stringMatching(/^channels\.sms\.allowFrom: dmPolicy "allowlist" needs at least one/)]);
    expect(
      issuesOf(
        sms({
          accountSid: SID,
          authToken: "t",
          fromNumber: "+15551234567",
          dmPolicy: "open",
          allowFrom: ["+15557654321"],
        }),
      ),
    ).toEqual([expect.stringMatching(/^channels\.sms\.allowFrom: dmPolicy "open" needs "\*"/)]);
  });

  it("needs a sender, and names the env fallbacks", () => {
    expect(issuesOf(sms({ accountSid: SID, authToken: "t" }))).toEqual([
      expect.stringMatching(/^channels\.sms\.fromNumber: required: expected fromNumber or messagingServiceSid/),
    ]);
  });

  it("unknown keys and wrong types are named", () => {
    expect(issuesOf(sms({ accountSid: SID, authToken: "t", fromNumber: "+15551234567", dmPolicy: "public" }))).toEqual([
      expect.stringMatching(/^channels\.sms\.dmPolicy: expected one of pairing, allowlist, open, disabled/),
    ]);
    expect(issuesOf(sms({ accountSid: SID, authToken: "t", fromNumber: "+15551234567", allowfrom: [] }))[0]).toMatch(
      /^channels\.sms: .*allowfrom/,
    );
  });

  it("webhook paths must be distinct, and defaultAccount must exist", () => {
    const issues = issuesOf(
      sms({
        accountSid: SID,
        authToken: "t",
        accounts: {
          a: { fromNumber: "+15551234567", webhookPath: "/webhooks/sms/x" },
          b: { fromNumber: "+15551234568", webhookPath: "/webhooks/sms/x" },
        },
        defaultAccount: "c",
      }),
    );
    expect(issues).toEqual([
      expect.stringMatching(/^channels\.sms\.accounts\.b\.webhookPath: .*already used by account "a"/),
      expect.stringMatching(/^channels\.sms\.defaultAccount: expected one of the configured accounts \(a, b\)/),
    ]);
  });

  it("a JSON5 syntax error names the position", () => {
    expect(() => parseConfigText("{ channels: { sms: { ", "sms.config.json5")).toThrow(
      /sms\.config\.json5[\s\S]*not valid JSON5/,
    );
  });
});
