import { describe, expect, it } from "vitest";
import { standInSenders } from "../../../infra/local/stand-in-senders.ts";
import { resolveConfig } from "../../../lib/config/resolve.ts";

const SID = `AC${"1".repeat(32)}`;
const SERVICE = `MG${"2".repeat(32)}`;

describe("standInSenders", () => {
  it("gives the local stand-in each account's number or service, pointed at the account's webhook with POST", () => {
    const config = resolveConfig({
      channels: {
        sms: {
          accountSid: SID,
          authToken: "t",
          accounts: {
            main: { fromNumber: "+15551234567" },
            pool: { messagingServiceSid: SERVICE, publicWebhookUrl: "https://sms.example.com/pool" },
          },
        },
      },
    });
    expect(standInSenders(config.accounts, "http://127.0.0.1:8787")).toEqual({
      phoneNumbers: [
        {
          accountSid: SID,
          phoneNumber: "+15551234567",
          smsUrl: "http://127.0.0.1:8787/webhooks/sms/main",
          smsMethod: "POST",
        },
      ],
      messagingServices: [
        {
          accountSid: SID,
          sid: SERVICE,
          friendlyName: "sms-channel pool",
          inboundRequestUrl: "https://sms.example.com/pool",
          inboundMethod: "POST",
        },
      ],
    });
  });
});
