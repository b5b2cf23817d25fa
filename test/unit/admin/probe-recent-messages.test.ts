import { describe, expect, it } from "vitest";
import { probeAccount } from "../../../lib/admin/probe.ts";
import { recentMessageChecks } from "../../../lib/admin/probe-recent-messages.ts";
import type { ListMessagesQuery, TwilioMessage } from "../../../lib/twilio/rest-client.ts";
import { runtimeAccount } from "../../support/runtime-account.ts";
import { twilioClientWith } from "../../support/twilio-client-fake.ts";

const NUMBER = "+15551234567";
const SERVICE_SID = `MG${"2".repeat(32)}`;
const account = runtimeAccount({ fromNumber: NUMBER });

let sids = 0;
function message(overrides: Partial<TwilioMessage>): TwilioMessage {
  return {
    sid: `SM${String(++sids).padStart(32, "0")}`,
    status: "delivered",
    to: "+15557654321",
    from: NUMBER,
    body: "secret text",
    numSegments: "1",
    dateCreated: "Thu, 03 Dec 2026 06:00:00 +0000",
    errorCode: null,
    direction: "outbound-api",
    messagingServiceSid: null,
    ...overrides,
  };
}
const inbound = (from: string, errorCode: number | null = null) =>
  message({ direction: "inbound", status: "received", from, to: NUMBER, errorCode });

/** Twilio's log answering `To=` and `From=` queries from `log`, recording each query. */
function logOf(log: TwilioMessage[]) {
  const queries: ListMessagesQuery[] = [];
  const client = twilioClientWith({
    listMessages: async (query) => {
      queries.push(query);
      return log.filter(
        (m) => (query.to === undefined || m.to === query.to) && (query.from === undefined || m.from === query.from),
      );
    },
  });
  return { client, queries };
}

describe("recentMessageChecks", () => {
  it("reads one page each way for a number and passes quietly when all is well", async () => {
    const { client, queries } = logOf([inbound("+15557654321"), message({})]);
    expect(await recentMessageChecks(account, client)).toEqual([
      { name: "recent-inbound", ok: true, detail: "no 11200 errors in the last 1 inbound" },
      { name: "recent-outbound", ok: true, detail: "last 1 outbound: 1 delivered" },
    ]);
    expect(queries).toEqual([
      { to: NUMBER, pageSize: 20 },
      { from: NUMBER, pageSize: 20 },
    ]);
  });

  it("warns of 11200 failures with masked senders (three shown) and the seed's hint, never the text", async () => {
    const failures = ["+15550000001", "+15550000002", "+15550000003", "+15550000004"].map((from) =>
      inbound(from, 11200),
    );
    const [check] = await recentMessageChecks(account, logOf([...failures, inbound("+15550000005")]).client);
    expect(check).toMatchObject({ name: "recent-inbound", ok: true, warning: true });
    expect(check?.detail).toContain("4 of the last 5 inbound messages failed with 11200");
    expect(check?.detail).toContain("+155****0001 at Thu, 03 Dec 2026 06:00:00 +0000");
    expect(check?.detail).toContain(", and 1 more;");
    expect(check?.detail).not.toContain("0004 at");
    expect(check?.detail).toContain("smsctl webhook set");
    expect(check?.detail).not.toContain("secret text");
  });

  it("counts outbound statuses, most frequent first, with error codes, and warns when any failed", async () => {
    const log = [
      message({ status: "delivered" }),
      message({ status: "delivered" }),
      message({ status: "undelivered", errorCode: 30007 }),
      message({ status: "failed", errorCode: 30007 }),
      message({ status: "failed", errorCode: 21610 }),
    ];
    const [, check] = await recentMessageChecks(account, logOf(log).client);
    expect(check).toEqual({
      name: "recent-outbound",
      ok: true,
      warning: true,
      detail:
        "last 5 outbound: 2 delivered, 2 failed, 1 undelivered; errors 30007 ×2, 21610 ×1 (see twilio.com/docs/errors/<code>)",
    });
  });

  it("keeps only a Messaging Service's own messages from a wider page", async () => {
    const viaService = runtimeAccount({ fromNumber: undefined, messagingServiceSid: SERVICE_SID });
    const log = [
      message({ messagingServiceSid: SERVICE_SID, status: "sent" }),
      message({ messagingServiceSid: null, status: "failed", errorCode: 30003 }),
      { ...inbound("+15550000001", 11200), messagingServiceSid: `MG${"3".repeat(32)}` },
    ];
    const { client, queries } = logOf(log);
    expect(await recentMessageChecks(viaService, client)).toEqual([
      { name: "recent-inbound", ok: true, detail: "no inbound messages yet" },
      { name: "recent-outbound", ok: true, detail: "last 1 outbound: 1 sent" },
    ]);
    expect(queries).toEqual([{ pageSize: 100 }]);
  });

  it("in the probe, a log that cannot be read is a skipped check that does not fail it", async () => {
    const client = twilioClientWith({
      fetchAccount: async () => ({ sid: account.accountSid, status: "active", friendlyName: "", type: "Full" }),
      findIncomingNumber: async () => ({
        sid: `PN${"4".repeat(32)}`,
        phoneNumber: NUMBER,
        smsUrl: "https://sms.example.com/webhooks/sms",
        smsMethod: "POST",
        smsApplicationSid: null,
        capabilities: { sms: true, mms: false },
      }),
    });
    const result = await probeAccount(account, "https://sms.example.com/webhooks/sms", client);
    expect(result.ok).toBe(true);
    expect(result.checks.at(-1)).toEqual({
      name: "recent-messages",
      ok: true,
      skipped: true,
      detail: "Twilio listMessages must not be called here",
    });
  });
});
