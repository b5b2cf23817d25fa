import { describe, expect, it } from "vitest";
import type { WebhookSetResult, WebhookTarget } from "../../../lib/admin/webhook-set.ts";
import { formatWebhookSet } from "../../../lib/cli/format-webhook.ts";

const URL_NOW = "https://sms.example.com/webhooks/sms";
const target = (overrides: Partial<WebhookTarget> = {}): WebhookTarget => ({
  kind: "number",
  sid: `PN${"0".repeat(32)}`,
  name: "+15551234567",
  before: { url: null, method: null },
  after: { url: URL_NOW, method: "POST" },
  changed: true,
  ...overrides,
});
const result = (targets: WebhookTarget[], dryRun = false): WebhookSetResult => ({
  account: "default",
  webhookUrl: URL_NOW,
  dryRun,
  targets,
});

describe("formatWebhookSet", () => {
  it("shows each sender before and after", () => {
    expect(formatWebhookSet(result([target()]))).toBe(
      [
        `Account "default": pointed 1 sender(s) at ${URL_NOW} (POST).`,
        `  number +15551234567 (PN${"0".repeat(32)})`,
        "    before    (not set) (no method)",
        `    after     ${URL_NOW} (POST)`,
      ].join("\n"),
    );
  });

  it("says a dry run changed nothing and what each sender would be", () => {
    const text = formatWebhookSet(result([target({ changed: false })], true));
    expect(text.split("\n")[0]).toBe('Dry run for account "default": nothing was changed at Twilio.');
    expect(text).toContain(`    would be  ${URL_NOW} (POST)`);
  });

  it("says when everything was already set, and marks a Messaging Service by name", () => {
    const already = target({
      kind: "messaging-service",
      sid: `MG${"1".repeat(32)}`,
      name: "Agent SMS",
      before: { url: URL_NOW, method: "POST" },
      changed: false,
    });
    expect(formatWebhookSet(result([already]))).toBe(
      [
        `Account "default": already pointed at ${URL_NOW} (POST); nothing to change.`,
        `  Messaging Service "Agent SMS" (MG${"1".repeat(32)}): already set`,
        `    before    ${URL_NOW} (POST)`,
      ].join("\n"),
    );
  });

  it("shows an SMS TwiML App in before, as it overrides the URL, and a sender left as it was as already set", () => {
    const app = `AP${"5".repeat(32)}`;
    const cleared = target({ before: { url: URL_NOW, method: "POST", smsApplicationSid: app } });
    expect(
      formatWebhookSet(result([cleared]))
        .split("\n")
        .slice(2),
    ).toEqual([
      `    before    ${URL_NOW} (POST); SMS TwiML App ${app} (used instead)`,
      `    after     ${URL_NOW} (POST)`,
    ]);
    const kept = { url: `${URL_NOW}#rc=3`, method: "POST" };
    expect(formatWebhookSet(result([target({ before: kept, after: kept, changed: false })]))).toContain(
      ": already set",
    );
  });
});
