import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../../lib/config/resolve.ts";
import { issuesOf, SID, sms } from "./config-issues.ts";

const VALID = { accountSid: SID, authToken: "t", fromNumber: "+15551234567" };
const OTHER_SID = `AC${"c".repeat(32)}`;

describe("config parity with the seed", () => {
  it("a top-level enabled: false turns every account off, even one that says enabled: true", () => {
    const config = resolveConfig(
      sms({
        ...VALID,
        enabled: false,
        accounts: {
          support: { fromNumber: "+15551230000", enabled: true },
          sales: { fromNumber: "+15551230001" },
        },
      }),
    );
    expect(config.accounts.map((account) => [account.id, account.enabled])).toEqual([
      ["default", false],
      ["support", false],
      ["sales", false],
    ]);
  });

  it("takes SMS_WEBHOOK_PATH, SMS_ALLOWED_USERS, SMS_TEXT_CHUNK_LIMIT and the signature switch from the env", () => {
    const config = resolveConfig(sms({ ...VALID, dmPolicy: "allowlist" }), {
      SMS_WEBHOOK_PATH: "/hooks/twilio",
      SMS_ALLOWED_USERS: "+15557654321, sms:+1 (555) 700-0001,,",
      SMS_TEXT_CHUNK_LIMIT: " 480 ",
      SMS_DANGEROUSLY_DISABLE_SIGNATURE_VALIDATION: "true",
    });
    expect(config.accounts[0]).toMatchObject({
      webhookPath: "/hooks/twilio",
      allowFrom: ["+15557654321", "+15557000001"],
      textChunkLimit: 480,
      dangerouslyDisableSignatureValidation: true,
    });
  });

  it("lets config keys win over those variables", () => {
    const config = resolveConfig(
      sms({
        ...VALID,
        webhookPath: "/webhooks/sms",
        allowFrom: ["+15550000009"],
        textChunkLimit: 300,
        dangerouslyDisableSignatureValidation: false,
      }),
      {
        SMS_WEBHOOK_PATH: "/hooks/twilio",
        SMS_ALLOWED_USERS: "+15557654321",
        SMS_TEXT_CHUNK_LIMIT: "480",
        SMS_DANGEROUSLY_DISABLE_SIGNATURE_VALIDATION: "true",
      },
    );
    expect(config.accounts[0]).toMatchObject({
      webhookPath: "/webhooks/sms",
      allowFrom: ["+15550000009"],
      textChunkLimit: 300,
      dangerouslyDisableSignatureValidation: false,
    });
  });

  it("names the variable when its value is bad", () => {
    expect(
      issuesOf(sms(VALID), {
        SMS_WEBHOOK_PATH: "hooks",
        SMS_ALLOWED_USERS: "+15557654321,bob",
        SMS_TEXT_CHUNK_LIMIT: "lots",
        SMS_DANGEROUSLY_DISABLE_SIGNATURE_VALIDATION: "yes",
        TWILIO_MESSAGING_SERVICE_SID: "MG1",
      }),
    ).toEqual([
      'TWILIO_MESSAGING_SERVICE_SID: expected a Messaging Service SID: MG followed by 32 hex characters, got "MG1"',
      'SMS_WEBHOOK_PATH: expected a path starting with / (letters, digits, . _ ~ - /), got "hooks"',
      'SMS_TEXT_CHUNK_LIMIT: expected a whole number, got "lots"',
      'SMS_DANGEROUSLY_DISABLE_SIGNATURE_VALIDATION: expected "true" or "false", got "yes"',
      'SMS_ALLOWED_USERS[1]: expected an E.164 number such as +15551234567 (sms: / twilio-sms: prefixes allowed) or "*", got "bob"',
    ]);
    expect(issuesOf(sms(VALID), { SMS_TEXT_CHUNK_LIMIT: "5000" })).toEqual([
      'SMS_TEXT_CHUNK_LIMIT: expected at most 1600 (Twilio\'s body limit), got "5000"',
    ]);
    expect(issuesOf(sms({ authToken: "t", fromNumber: "+15551234567" }), { TWILIO_ACCOUNT_SID: "AC123" })).toEqual([
      'TWILIO_ACCOUNT_SID: expected a Twilio Account SID: AC followed by 32 hex characters, got "AC123"',
    ]);
  });

  it("counts a variable set to whitespace only as unset", () => {
    const config = resolveConfig(sms({ authToken: "t" }), {
      TWILIO_ACCOUNT_SID: ` ${SID} `,
      TWILIO_PHONE_NUMBER: "   ",
      TWILIO_SMS_FROM: "+15551234567",
      SMS_WEBHOOK_PATH: " ",
      SMS_TEXT_CHUNK_LIMIT: "\t",
    });
    expect(config.accounts[0]).toMatchObject({ accountSid: SID, fromNumber: "+15551234567" });
    expect(config.accounts[0]?.webhookPath).toBe("/webhooks/sms");
    expect(config.accounts[0]?.textChunkLimit).toBeUndefined();
    expect(issuesOf(sms({ accountSid: SID, fromNumber: "+15551234567" }), { TWILIO_AUTH_TOKEN: "  " })).toEqual([
      "channels.sms.authToken: required: expected a token or SecretRef (or TWILIO_AUTH_TOKEN)",
    ]);
  });

  it("gives the env to the default account only: named accounts do not borrow TWILIO_* credentials", () => {
    const env = {
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: "env-token",
      SMS_ALLOWED_USERS: "+15557654321",
      SMS_DANGEROUSLY_DISABLE_SIGNATURE_VALIDATION: "true",
    };
    expect(issuesOf(sms({ accounts: { support: { fromNumber: "+15551230000" } } }), env)).toEqual([
      "channels.sms.accounts.support.accountSid: required: expected a Twilio Account SID",
      "channels.sms.accounts.support.authToken: required: expected a token or SecretRef",
    ]);
    // With a sender from the env the top level is an account too; it alone takes the env's values.
    const config = resolveConfig(
      sms({ accounts: { support: { accountSid: OTHER_SID, authToken: "own", fromNumber: "+15551230000" } } }),
      { ...env, TWILIO_PHONE_NUMBER: "+15551234567" },
    );
    expect(config.accounts.map((account) => account.id)).toEqual(["default", "support"]);
    expect(config.accounts[0]).toMatchObject({
      accountSid: SID,
      authToken: { source: "env", id: "TWILIO_AUTH_TOKEN" },
      allowFrom: ["+15557654321"],
      dangerouslyDisableSignatureValidation: true,
    });
    expect(config.accounts[1]).toMatchObject({
      accountSid: OTHER_SID,
      authToken: { source: "inline", value: "own" },
      allowFrom: [],
      dangerouslyDisableSignatureValidation: false,
    });
  });

  it("normalises numbers written with spaces, brackets and dashes, as the seed does", () => {
    const config = resolveConfig(
      sms({
        ...VALID,
        fromNumber: "+1 555-123-4567",
        dmPolicy: "allowlist",
        allowFrom: ["+1 (555) 123-4567", "sms:+44 20 7946 0958", "twilio-sms:+33 1.23.45.67.89"],
        notifyTo: ["+1 (555) 700-0001"],
        defaultTo: "sms:+44 20 7946 0958",
      }),
    );
    expect(config.accounts[0]).toMatchObject({
      fromNumber: "+15551234567",
      allowFrom: ["+15551234567", "+442079460958", "+33123456789"],
      notifyTo: ["+15557000001"],
      defaultTo: "+442079460958",
    });
    // The + stays required: "555 123 4567" would otherwise be read as a number in country 55.
    expect(issuesOf(sms({ ...VALID, allowFrom: ["555 123 4567"] }))).toEqual([
      'channels.sms.allowFrom[0]: expected an E.164 number such as +15551234567 (sms: / twilio-sms: prefixes allowed) or "*", got "555 123 4567"',
    ]);
  });

  it("names a misspelt top-level key instead of ignoring the section under it", () => {
    expect(
      issuesOf(
        { channel: { sms: VALID } },
        { TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: "t", TWILIO_PHONE_NUMBER: "+15551234567" },
      ),
    ).toEqual(["channel: unknown top-level key: expected channels, as in { channels: { sms: { ... } } }"]);
    // Other channels of a pasted OpenClaw config may sit beside sms.
    expect(resolveConfig({ channels: { sms: VALID, telegram: { enabled: true } } }).accounts).toHaveLength(1);
  });
});
