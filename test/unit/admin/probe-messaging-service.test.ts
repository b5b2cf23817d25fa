import { describe, expect, it } from "vitest";
import { type ProbeCheck, probeAccount } from "../../../lib/admin/probe.ts";
import { DEFAULT_RATE_LIMITS } from "../../../lib/config/policy.ts";
import type { RuntimeAccount } from "../../../lib/config/types.ts";
import { TwilioApiError, TwilioTimeoutError } from "../../../lib/twilio/api-errors.ts";
import type { TwilioMessagingService, TwilioRestClient } from "../../../lib/twilio/rest-client.ts";
import { twilioClientWith } from "../../support/twilio-client-fake.ts";

const ACCOUNT_SID = `AC${"1".repeat(32)}`;
const SERVICE_SID = `MG${"2".repeat(32)}`;
const WEBHOOK = "https://abc.execute-api.us-east-1.amazonaws.com/prod/webhooks/sms";

const account: RuntimeAccount = {
  id: "default",
  enabled: true,
  accountSid: ACCOUNT_SID,
  authToken: { source: "env", id: "TWILIO_AUTH_TOKEN" },
  messagingServiceSid: SERVICE_SID,
  webhookPath: "/webhooks/sms",
  dmPolicy: "pairing",
  allowFrom: [],
  dangerouslyDisableSignatureValidation: false,
  inboundRateLimit: { ...DEFAULT_RATE_LIMITS },
  agent: { kind: "echo" },
  agentConfigured: false,
};

function service(overrides: Partial<TwilioMessagingService> = {}): TwilioMessagingService {
  return {
    sid: SERVICE_SID,
    friendlyName: "Agent SMS",
    inboundRequestUrl: WEBHOOK,
    inboundMethod: "POST",
    useInboundWebhookOnNumber: false,
    ...overrides,
  };
}

/** A client whose account is fine; fetchMessagingService answers with `answer`, recording the sids asked for. */
function fakeClient(answer: () => Promise<TwilioMessagingService>) {
  const asked: string[] = [];
  const client = twilioClientWith({
    fetchAccount: async () => ({ sid: ACCOUNT_SID, status: "active", friendlyName: "Main", type: "Full" }),
    fetchMessagingService: async (sid) => {
      asked.push(sid);
      return answer();
    },
    listMessages: async () => [],
  });
  return { client, asked };
}

const QUIET_LOG: ProbeCheck[] = [
  { name: "recent-inbound", ok: true, detail: "no 11200 errors in the last 0 inbound" },
  { name: "recent-outbound", ok: true, detail: "no outbound messages yet" },
];

/** The checks after the three every account gets (signature, reachability, credentials). */
async function senderChecks(answer: () => Promise<TwilioMessagingService>): Promise<ProbeCheck[]> {
  const { client, asked } = fakeClient(answer);
  const result = await probeAccount(account, WEBHOOK, client);
  expect(result.checks.slice(0, 3).map((check) => [check.name, check.ok])).toEqual([
    ["signature-validation", true],
    ["webhook-public", true],
    ["credentials", true],
  ]);
  expect(result.ok).toBe(result.checks.every((check) => check.ok));
  expect(asked).toEqual([SERVICE_SID]);
  return result.checks.slice(3);
}

const CONSOLE_PATH = "Messaging > Services > Agent SMS > Integration";

describe("probeAccount for a Messaging Service sender", () => {
  it("passes when the service's own webhook is this channel's URL with POST", async () => {
    const checks = await senderChecks(async () => service());
    expect(checks).toEqual([
      {
        name: "messaging-service",
        ok: true,
        detail: `Messaging Service ${SERVICE_SID} "Agent SMS" belongs to this account`,
      },
      {
        name: "webhook-url",
        ok: true,
        detail: `Messaging Service ${SERVICE_SID} "Agent SMS" sends incoming messages to ${WEBHOOK}`,
      },
      { name: "webhook-method", ok: true, detail: "Twilio calls the webhook with POST" },
      ...QUIET_LOG,
    ]);
    expect(checks.some((check) => check.skipped)).toBe(false);
  });

  it("fails the URL check when the service sends elsewhere, saying where to fix it", async () => {
    const checks = await senderChecks(async () => service({ inboundRequestUrl: "https://old.example.com/sms" }));
    const url = checks.find((check) => check.name === "webhook-url");
    expect(url?.ok).toBe(false);
    expect(url?.detail).toContain("https://old.example.com/sms");
    expect(url?.detail).toContain(`expected exactly ${WEBHOOK}`);
    expect(url?.detail).toContain(CONSOLE_PATH);
    expect(checks.find((check) => check.name === "webhook-method")?.ok).toBe(true);
  });

  it("compares the URL byte for byte (a trailing slash is a different URL)", async () => {
    const checks = await senderChecks(async () => service({ inboundRequestUrl: `${WEBHOOK}/` }));
    expect(checks.find((check) => check.name === "webhook-url")?.ok).toBe(false);
  });

  it("fails the URL check when the service has no request URL (it drops incoming messages)", async () => {
    const checks = await senderChecks(async () => service({ inboundRequestUrl: null }));
    const url = checks.find((check) => check.name === "webhook-url");
    expect(url?.ok).toBe(false);
    expect(url?.detail).toContain("request URL not set");
    expect(url?.detail).toContain(CONSOLE_PATH);
  });

  it("fails the method check for GET, saying where to fix it", async () => {
    const checks = await senderChecks(async () => service({ inboundMethod: "GET" }));
    expect(checks.find((check) => check.name === "webhook-url")?.ok).toBe(true);
    const method = checks.find((check) => check.name === "webhook-method");
    expect(method?.ok).toBe(false);
    expect(method?.detail).toContain("with GET; expected POST");
    expect(method?.detail).toContain(CONSOLE_PATH);
  });

  it("names the service by sid in the console path when it has no friendly name", async () => {
    const checks = await senderChecks(async () => service({ friendlyName: "", inboundMethod: null }));
    expect(checks.find((check) => check.name === "webhook-method")?.detail).toContain(
      `Messaging > Services > ${SERVICE_SID} > Integration`,
    );
  });

  it("when the service defers to its numbers' webhooks, passes and tells the operator to point each number here", async () => {
    // The service's own URL is then ignored by Twilio, so a stale one must not fail the probe.
    const checks = await senderChecks(async () =>
      service({
        useInboundWebhookOnNumber: true,
        inboundRequestUrl: "https://old.example.com/sms",
        inboundMethod: "GET",
      }),
    );
    expect(checks.map((check) => [check.name, check.ok])).toEqual([
      ["messaging-service", true],
      ["webhook-url", true],
      ["recent-inbound", true],
      ["recent-outbound", true],
    ]);
    const detail = checks[1]?.detail ?? "";
    expect(detail).toContain("each number's own webhook");
    expect(detail).toContain(`every number in the service at ${WEBHOOK} (POST)`);
    expect(detail).not.toContain("old.example.com");
  });

  it("reports a service the account does not have (HTTP 404) as a failed check and stops", async () => {
    const checks = await senderChecks(async () => {
      throw new TwilioApiError({
        operation: "fetchMessagingService",
        httpStatus: 404,
        code: 20404,
        twilioMessage: "The requested resource was not found",
        moreInfo: null,
      });
    });
    expect(checks).toEqual([
      {
        name: "messaging-service",
        ok: false,
        detail: `${SERVICE_SID} is not a Messaging Service of this Twilio account`,
      },
    ]);
  });

  it("reports other failures with the adapter's text", async () => {
    const checks = await senderChecks(async () => {
      throw new TwilioTimeoutError("fetchMessagingService", "timeout");
    });
    expect(checks).toEqual([
      {
        name: "messaging-service",
        ok: false,
        detail: "Twilio fetchMessagingService outcome unknown (timeout): Twilio did not answer in time",
      },
    ]);
  });

  it("does not look up a Messaging Service when the credentials already failed", async () => {
    const { client, asked } = fakeClient(async () => service());
    const rejected: TwilioRestClient = {
      ...client,
      fetchAccount: async () => {
        throw new TwilioApiError({
          operation: "fetchAccount",
          httpStatus: 401,
          code: 20003,
          twilioMessage: "Authenticate",
          moreInfo: null,
        });
      },
    };
    const result = await probeAccount(account, WEBHOOK, rejected);
    expect(result.ok).toBe(false);
    expect(result.checks.at(-1)?.name).toBe("credentials");
    expect(asked).toEqual([]);
  });

  it("fails clearly when neither a number nor a service is configured", async () => {
    const { client } = fakeClient(async () => service());
    const { messagingServiceSid: _none, ...withoutSender } = account;
    const result = await probeAccount(withoutSender, WEBHOOK, client);
    expect(result.ok).toBe(false);
    expect(result.checks.at(-1)).toEqual({
      name: "sender",
      ok: false,
      detail: "neither fromNumber nor messagingServiceSid is configured",
    });
  });
});
