import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../../lib/config/resolve.ts";
import { issuesOf, MG, SID, sms } from "./config-issues.ts";

const VALID = { accountSid: SID, authToken: "t", fromNumber: "+15551234567" };
const BAD_SID = "expected a Twilio Account SID: AC followed by 32 hex characters";

describe("config: schema and cross-field problems in one pass", () => {
  it("reports a bad accountSid and a bad allowFrom entry together", () => {
    expect(issuesOf(sms({ ...VALID, accountSid: "AC123", dmPolicy: "allowlist", allowFrom: ["bob"] }))).toEqual([
      `channels.sms.accountSid: ${BAD_SID}`,
      'channels.sms.allowFrom[0]: expected an E.164 number such as +15551234567 (sms: / twilio-sms: prefixes allowed) or "*", got "bob"',
      'channels.sms.allowFrom: dmPolicy "allowlist" needs at least one E.164 number in allowFrom',
    ]);
  });

  it("lists every problem of a config with many, each once", () => {
    const issues = issuesOf(
      sms({
        accountSid: "AC123",
        fromNumber: "5551234567",
        dmPolicy: "allowlist",
        allowFrom: ["+15557654321", "bob", "*"],
        publicWebhookUrl: "http://gateway.example.com/webhooks/sms",
        textChunkLimit: 5000,
        allowfrom: [],
      }),
    );
    expect(issues).toHaveLength(8);
    expect(issues).toEqual(
      expect.arrayContaining([
        `channels.sms.accountSid: ${BAD_SID}`,
        expect.stringMatching(/^channels\.sms\.textChunkLimit: expected at most 1600/),
        expect.stringMatching(/^channels\.sms: Unrecognized key: "allowfrom"/),
        expect.stringMatching(/^channels\.sms\.authToken: required/),
        expect.stringMatching(/^channels\.sms\.fromNumber: expected an E\.164 number/),
        expect.stringMatching(/^channels\.sms\.publicWebhookUrl: expected an https URL/),
        expect.stringMatching(/^channels\.sms\.allowFrom\[1\]: .*got "bob"/),
        'channels.sms.allowFrom[2]: "*" is only allowed with dmPolicy "open" (it would let every sender in)',
      ]),
    );
  });

  it("says nothing more about a value the schema rejected, even where accounts inherit it", () => {
    expect(issuesOf(sms({ ...VALID, accountSid: "AC123" }))).toEqual([`channels.sms.accountSid: ${BAD_SID}`]);
    expect(
      issuesOf(
        sms({
          accountSid: "nope",
          authToken: "t",
          accounts: { a: { fromNumber: "+15551234567" }, b: { fromNumber: "+15551234568" } },
        }),
      ),
    ).toEqual([`channels.sms.accountSid: ${BAD_SID}`]);
  });

  it("does not let the env stand in for a key written wrongly", () => {
    expect(issuesOf(sms({ ...VALID, accountSid: "AC123" }), { TWILIO_ACCOUNT_SID: SID })).toEqual([
      `channels.sms.accountSid: ${BAD_SID}`,
    ]);
  });

  it("a bad messagingServiceSid is not also a missing sender", () => {
    expect(issuesOf(sms({ accountSid: SID, authToken: "t", messagingServiceSid: "MG1" }))).toEqual([
      "channels.sms.messagingServiceSid: expected a Messaging Service SID: MG followed by 32 hex characters",
    ]);
  });

  it("a bad dmPolicy is the only verdict on the policy, and an account's bad one does not inherit the top's", () => {
    expect(issuesOf(sms({ ...VALID, dmPolicy: "opne", allowFrom: ["*"] }))).toEqual([
      "channels.sms.dmPolicy: expected one of pairing, allowlist, open, disabled",
    ]);
    expect(
      issuesOf(
        sms({
          accountSid: SID,
          authToken: "t",
          dmPolicy: "allowlist",
          allowFrom: ["+15557654321"],
          accounts: { a: { fromNumber: "+15551234567", dmPolicy: "public", allowFrom: ["*"] } },
        }),
      ),
    ).toEqual(["channels.sms.accounts.a.dmPolicy: expected one of pairing, allowlist, open, disabled"]);
  });

  it("a rejected account is not replaced by the top level, nor reported missing as the default", () => {
    expect(issuesOf(sms({ accountSid: SID, authToken: "t", accounts: { a: "x" }, defaultAccount: "a" }))).toEqual([
      "channels.sms.accounts.a: Invalid input: expected object, received string",
    ]);
    expect(issuesOf(sms({ accountSid: SID, authToken: "t", accounts: [] }))).toEqual([
      "channels.sms.accounts: Invalid input: expected record, received array",
    ]);
  });

  it("names a bad account id with the key's own message", () => {
    expect(
      issuesOf(sms({ accountSid: SID, authToken: "t", accounts: { "bad id": { fromNumber: "+15551234567" } } })),
    ).toEqual(["channels.sms.accounts.bad id: expected an account id of letters, digits, _ or -"]);
  });

  it("says what an auth token may be when it has the wrong type", () => {
    expect(issuesOf(sms({ ...VALID, authToken: 12345 }))).toEqual([
      'channels.sms.authToken: expected a non-empty auth token or a SecretRef such as { source: "aws", id: "prod/twilio" }',
    ]);
  });

  it("names a non-string allowFrom entry by its own index, next to the other entries' problems", () => {
    expect(issuesOf(sms({ ...VALID, dmPolicy: "allowlist", allowFrom: [15557654321, "bob", "+15557654321"] }))).toEqual(
      [
        'channels.sms.allowFrom[0]: expected a quoted string such as "+15551234567" or "*", got 15557654321',
        expect.stringMatching(/^channels\.sms\.allowFrom\[1\]: .*got "bob"$/),
      ],
    );
  });

  it("whole sections of the wrong type are reported once", () => {
    expect(issuesOf({ channels: 3 })).toEqual(["channels: Invalid input: expected object, received number"]);
    expect(issuesOf({ channels: { sms: "on" } })).toEqual([
      "channels.sms: Invalid input: expected object, received string",
    ]);
    expect(issuesOf(["not", "an", "object"])).toEqual(["(root): Invalid input: expected object, received array"]);
  });

  it("a bad top-level entry inherited by several accounts is reported once, where it was written", () => {
    expect(
      issuesOf(
        sms({
          accountSid: SID,
          authToken: "t",
          allowFrom: ["+15557654321", "bob"],
          accounts: { a: { fromNumber: "+15551234567" }, b: { fromNumber: "+15551234568" } },
        }),
      ),
    ).toEqual([expect.stringMatching(/^channels\.sms\.allowFrom\[1\]: .*got "bob"$/)]);
  });

  it("checks top-level entries that no account inherits", () => {
    expect(
      issuesOf(
        sms({
          accountSid: SID,
          authToken: "t",
          allowFrom: ["bob"],
          accounts: { a: { fromNumber: "+15551234567", allowFrom: ["+15557654321"] } },
        }),
      ),
    ).toEqual([expect.stringMatching(/^channels\.sms\.allowFrom\[0\]: .*got "bob"$/)]);
  });

  it("a valid config with a Messaging Service and named accounts still resolves", () => {
    const config = resolveConfig(
      sms({ accountSid: SID, authToken: "t", messagingServiceSid: MG, accounts: { a: {} } }),
    );
    expect(config.accounts.map((account) => account.id)).toEqual(["default", "a"]);
  });
});
