import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../../lib/config/resolve.ts";
import { issuesOf, SID, sms } from "./config-issues.ts";

const VALID = { accountSid: SID, authToken: "t", fromNumber: "+15551234567" };
const STAR = '"*" is only allowed with dmPolicy "open" (it would let every sender in)';

describe('config: "*" in allowFrom only with dmPolicy "open"', () => {
  it("is an error under allowlist, naming the entry", () => {
    expect(issuesOf(sms({ ...VALID, dmPolicy: "allowlist", allowFrom: ["*", "+15557654321"] }))).toEqual([
      `channels.sms.allowFrom[0]: ${STAR}`,
    ]);
  });

  it("is an error under pairing, written or by default, and under disabled", () => {
    expect(issuesOf(sms({ ...VALID, dmPolicy: "pairing", allowFrom: ["*"] }))).toEqual([
      `channels.sms.allowFrom[0]: ${STAR}`,
    ]);
    expect(issuesOf(sms({ ...VALID, allowFrom: ["+15557654321", " * "] }))).toEqual([
      `channels.sms.allowFrom[1]: ${STAR}`,
    ]);
    expect(issuesOf(sms({ ...VALID, dmPolicy: "disabled", allowFrom: ["*"] }))).toEqual([
      `channels.sms.allowFrom[0]: ${STAR}`,
    ]);
  });

  it("names every star under allowlist, beside the missing number", () => {
    expect(issuesOf(sms({ ...VALID, dmPolicy: "allowlist", allowFrom: ["*", "*"] }))).toEqual([
      'channels.sms.allowFrom: dmPolicy "allowlist" needs at least one E.164 number in allowFrom',
      `channels.sms.allowFrom[0]: ${STAR}`,
      `channels.sms.allowFrom[1]: ${STAR}`,
    ]);
  });

  it("is fine under open, at the top level and inherited by an account", () => {
    const config = resolveConfig(
      sms({
        accountSid: SID,
        authToken: "t",
        dmPolicy: "open",
        allowFrom: ["*", "+15557654321"],
        accounts: { a: { fromNumber: "+15551234567" } },
      }),
    );
    expect(config.accounts[0]).toMatchObject({ id: "a", dmPolicy: "open", allowFrom: ["*", "+15557654321"] });
  });

  it("in an account's own allowFrom, is reported at the account's entry", () => {
    expect(
      issuesOf(
        sms({
          accountSid: SID,
          authToken: "t",
          dmPolicy: "allowlist",
          accounts: { a: { fromNumber: "+15551234567", allowFrom: ["+15557654321", "*"] } },
        }),
      ),
    ).toEqual([`channels.sms.accounts.a.allowFrom[1]: ${STAR}`]);
  });

  it("inherited by an account with its own stricter dmPolicy, is reported at the account and says where it came from", () => {
    expect(
      issuesOf(
        sms({
          ...VALID,
          dmPolicy: "open",
          allowFrom: ["+15557654321", "*"],
          accounts: { a: { fromNumber: "+15551234568", dmPolicy: "allowlist" } },
        }),
      ),
    ).toEqual([
      `channels.sms.accounts.a.allowFrom: inherits "*" from channels.sms.allowFrom[1], but ${STAR}; this account's dmPolicy is "allowlist", so give it its own allowFrom`,
    ]);
  });

  it("inherited together with the policy, is reported once at the top level where both were written", () => {
    expect(
      issuesOf(
        sms({
          accountSid: SID,
          authToken: "t",
          dmPolicy: "pairing",
          allowFrom: ["*"],
          accounts: { a: { fromNumber: "+15551234567" }, b: { fromNumber: "+15551234568" } },
        }),
      ),
    ).toEqual([`channels.sms.allowFrom[0]: ${STAR}`]);
  });

  it("an account that opens up what the top level allowlists is fine; the top-level account is not", () => {
    expect(
      issuesOf(
        sms({
          ...VALID,
          dmPolicy: "allowlist",
          allowFrom: ["*", "+15557654321"],
          accounts: { a: { fromNumber: "+15551234568", dmPolicy: "open" } },
        }),
      ),
    ).toEqual([`channels.sms.allowFrom[0]: ${STAR}`]);
  });
});
