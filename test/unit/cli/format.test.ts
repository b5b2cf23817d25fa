import { describe, expect, it } from "vitest";
import {
  formatAllowList,
  formatCapabilities,
  formatPairingApproved,
  formatPairingList,
  formatStatus,
  formatTable,
  timeUntil,
} from "../../../lib/cli/format.ts";

const NOW = Date.parse("2025-01-15T12:00:00Z");

describe("formatTable", () => {
  it("aligns columns to the widest cell and trims trailing spaces", () => {
    expect(
      formatTable(
        ["A", "LONG HEADER"],
        [
          ["wide cell", "x"],
          ["b", ""],
        ],
      ),
    ).toBe(["A          LONG HEADER", "wide cell  x", "b"].join("\n"));
  });
});

describe("timeUntil", () => {
  it("counts down in minutes and hours", () => {
    expect(timeUntil("2025-01-15T12:42:30Z", NOW)).toBe("in 42 min");
    expect(timeUntil("2025-01-15T13:05:00Z", NOW)).toBe("in 1 h 5 min");
    expect(timeUntil("2025-01-15T14:00:00Z", NOW)).toBe("in 2 h");
    expect(timeUntil("2025-01-15T11:59:00Z", NOW)).toBe("expired");
  });
});

describe("formatPairingList", () => {
  it("prints a table of codes with their expiry", () => {
    const text = formatPairingList(
      {
        account: "default",
        requests: [
          {
            code: "ABCD2345",
            phone: "+15550001111",
            createdAt: "2025-01-15T11:30:00.000Z",
            expiresAt: "2025-01-15T12:30:00.000Z",
          },
        ],
      },
      NOW,
    );
    expect(text).toBe(
      [
        'Pairing requests for account "default":',
        "CODE      PHONE         REQUESTED             EXPIRES",
        "ABCD2345  +15550001111  2025-01-15 11:30 UTC  in 30 min",
        "",
        "Approve one with: smsctl pairing approve <CODE>",
      ].join("\n"),
    );
  });

  it("says so when there is nothing to approve", () => {
    expect(formatPairingList({ account: "support", requests: [] }, NOW)).toBe(
      'No open pairing requests for account "support".',
    );
  });
});

describe("formatPairingApproved", () => {
  const decision = { account: "default", code: "ABCD2345", phone: "+15550001111", at: "2025-01-15T12:00:00.000Z" };

  it("confirms the approval and the queued SMS, or says how to tell the sender", () => {
    expect(formatPairingApproved({ ...decision, confirmationQueued: true })).toBe(
      'Approved +15550001111 (code ABCD2345, account "default"); a confirmation SMS is queued.',
    );
    expect(formatPairingApproved({ ...decision, confirmationQueued: false })).toContain(
      "smsctl message send --target sms:+15550001111",
    );
  });
});

describe("formatAllowList", () => {
  it("separates config numbers from runtime approvals", () => {
    const text = formatAllowList({
      account: "default",
      policy: "pairing",
      allowFrom: ["+15557654321"],
      approved: [{ phone: "+15550001111", via: "pairing", at: "2025-01-15T11:00:00.000Z" }],
    });
    expect(text).toContain("Config allowFrom (edit the config to change): +15557654321");
    expect(text).toContain("+15550001111  pairing  2025-01-15 11:00 UTC");
  });
});

describe("formatStatus", () => {
  it("prints each account and its probe checks", () => {
    const text = formatStatus({
      defaultAccount: "default",
      ok: false,
      deadLetters: { turns: 0, replies: 2 },
      accounts: [
        {
          id: "default",
          default: true,
          enabled: true,
          dmPolicy: "pairing",
          sender: { fromNumber: "+15551234567" },
          webhookUrl: "https://api.example.com/prod/webhooks/sms",
          signatureValidation: true,
          allowFrom: 1,
          pending: 2,
          approved: 3,
          optedOut: 0,
          droppedToday: { "rate-limit-sender": 4 },
          probe: {
            ok: false,
            checks: [
              { name: "credentials", ok: true, detail: "active" },
              { name: "webhook-url", ok: false, detail: "not set" },
            ],
          },
        },
      ],
    });
    expect(text).toContain('Account "default" (default)');
    expect(text).toContain("4 (rate-limit-sender)");
    expect(text).toContain("Dead-letter queues: 0 turn(s), 2 repl(y/ies) waiting");
    expect(text).toMatch(/^ {2}sender {2,}\+15551234567$/m);
    expect(text).toMatch(/^ {2}webhook {2,}https:\/\/api\.example\.com\/prod\/webhooks\/sms \(POST\)$/m);
    expect(text).toContain("    ok    credentials           active");
    expect(text).toContain("    FAIL  webhook-url           not set");
    expect(text.endsWith("Probe: some checks FAILED.")).toBe(true);
  });
});

describe("formatCapabilities", () => {
  it("lists what the channel supports", () => {
    const text = formatCapabilities({
      channel: "sms",
      provider: "twilio",
      text: true,
      media: { inbound: true, outbound: true, maxPerMessage: 10 },
      maxBodyChars: 1600,
      markdown: "rendered-as-plain-text",
      policies: ["pairing", "allowlist", "open", "disabled"],
      targets: ["sms:+E164", "twilio-sms:+E164", "+E164"],
      accounts: ["default", "support"],
      defaultAccount: "default",
    });
    expect(text).toContain("media         inbound yes, outbound yes, up to 10 per message");
    expect(text).toContain("accounts      default (default), support");
  });
});
