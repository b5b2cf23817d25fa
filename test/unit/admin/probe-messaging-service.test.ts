import { describe, expect, it } from "vitest";
import { type ProbeCheck, probeAccount } from "../../../lib/admin/probe.ts";
import { TwilioApiError, TwilioTimeoutError } from "../../../lib/twilio/api-errors.ts";
import type {
  TwilioIncomingNumber,
  TwilioMessagingService,
  TwilioRestClient,
} from "../../../lib/twilio/rest-client.ts";
import { runtimeAccount } from "../../support/runtime-account.ts";
import { incomingNumber, messagingService, twilioClientWith } from "../../support/twilio-client-fake.ts";

const ACCOUNT_SID = `AC${"1".repeat(32)}`;
const SERVICE_SID = `MG${"2".repeat(32)}`;
const WEBHOOK = "https://abc.execute-api.us-east-1.amazonaws.com/prod/webhooks/sms";

const account = runtimeAccount({ accountSid: ACCOUNT_SID, fromNumber: undefined, messagingServiceSid: SERVICE_SID });

const service = (overrides: Partial<TwilioMessagingService> = {}) =>
  messagingService(SERVICE_SID, { inboundRequestUrl: WEBHOOK, ...overrides });
const number = (phone: string, overrides: Partial<TwilioIncomingNumber> = {}) =>
  incomingNumber(phone, { smsUrl: WEBHOOK, ...overrides });

/**
 * A client whose account is fine; fetchMessagingService answers with `answer`, recording the sids asked for; the
 * service lists `pool` and the account has `numbers`.
 */
function fakeClient(
  answer: () => Promise<TwilioMessagingService>,
  numbers: TwilioIncomingNumber[] = [],
  pool: string[] = numbers.map((found) => found.phoneNumber),
) {
  const asked: string[] = [];
  const client = twilioClientWith({
    fetchAccount: async () => ({ sid: ACCOUNT_SID, status: "active", friendlyName: "Main", type: "Full" }),
    fetchMessagingService: async (sid) => {
      asked.push(sid);
      return answer();
    },
    listMessagingServiceNumbers: async () => pool,
    findIncomingNumber: async (phone) => numbers.find((found) => found.phoneNumber === phone) ?? null,
    listMessages: async () => [],
  });
  return { client, asked };
}

const QUIET_LOG: ProbeCheck[] = [
  { name: "recent-inbound", ok: true, detail: "no inbound messages yet" },
  { name: "recent-outbound", ok: true, detail: "no outbound messages yet" },
];

/** The checks after the three every account gets (signature, reachability, credentials). */
async function senderChecks(
  answer: () => Promise<TwilioMessagingService>,
  numbers: TwilioIncomingNumber[] = [],
): Promise<ProbeCheck[]> {
  const { client, asked } = fakeClient(answer, numbers);
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

  it("when the service defers to its numbers' webhooks, passes once every number calls the webhook with POST", async () => {
    // The service's own URL is then ignored by Twilio, so a stale one must not fail the probe.
    const stale = {
      useInboundWebhookOnNumber: true,
      inboundRequestUrl: "https://old.example.com/sms",
      inboundMethod: "GET",
    };
    const checks = await senderChecks(async () => service(stale), [number("+15552220001"), number("+15552220002")]);
    expect(checks.map((check) => [check.name, check.ok])).toEqual([
      ["messaging-service", true],
      ["webhook-url", true],
      ["recent-inbound", true],
      ["recent-outbound", true],
    ]);
    expect(checks[1]?.detail).toBe(
      `Messaging Service ${SERVICE_SID} "Agent SMS" uses each number's own webhook ("Defer to sender's webhook"): ` +
        `all 2 call ${WEBHOOK} with POST`,
    );
  });

  it("when the service defers to its numbers' webhooks, fails naming each number that does not call the webhook", async () => {
    const checks = await senderChecks(
      async () => service({ useInboundWebhookOnNumber: true }),
      [
        number("+15552220001", { smsUrl: null }),
        number("+15552220002"),
        number("+15552220003", { smsMethod: "GET" }),
        number("+15552220004", { smsApplicationSid: `AP${"9".repeat(32)}` }),
      ],
    );
    const url = checks.find((check) => check.name === "webhook-url");
    expect(url?.ok).toBe(false);
    expect(url?.detail).toContain(`3 of 4 do not call ${WEBHOOK} with POST: `);
    expect(url?.detail).toContain("+15552220001 (calls nothing (not set))");
    expect(url?.detail).toContain("+15552220003 (with GET)");
    expect(url?.detail).toContain(`+15552220004 (SMS TwiML App AP${"9".repeat(32)} overrides its URL)`);
    expect(url?.detail).not.toContain("+15552220002");
    expect(url?.detail).toContain("smsctl webhook set");
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
      detail: 'account "default" has neither fromNumber nor messagingServiceSid',
    });
  });
});

describe("probeAccount for an account with both fromNumber and a Messaging Service", () => {
  const NUMBER = "+15551234567";
  const both = runtimeAccount({ accountSid: ACCOUNT_SID, fromNumber: NUMBER, messagingServiceSid: SERVICE_SID });
  const names = (checks: ProbeCheck[]) => checks.map((check) => [check.name, check.ok]);

  it("checks the number's own webhook when it is not in the service", async () => {
    const stale = number(NUMBER, { smsUrl: "https://old.example.com/sms" });
    const { client } = fakeClient(async () => service(), [stale], ["+15552220001"]);
    const result = await probeAccount(both, WEBHOOK, client);
    expect(result.ok).toBe(false);
    expect(names(result.checks.slice(3))).toEqual([
      ["sender-number", true],
      ["messaging-service", true],
      ["webhook-url", true],
      ["webhook-method", true],
      ["webhook-url", false],
      ["webhook-method", true],
      ["recent-inbound", true],
      ["recent-outbound", true],
    ]);
    expect(result.checks[7]?.detail).toBe(
      `"A message comes in" of ${NUMBER} is https://old.example.com/sms (not in the Messaging Service, so its own ` +
        `webhook is called); expected exactly ${WEBHOOK} (smsctl webhook set)`,
    );
  });

  it("does not check the number's own webhook when the service (not deferring) holds it", async () => {
    const stale = number(NUMBER, { smsUrl: "https://old.example.com/sms" });
    const { client } = fakeClient(async () => service(), [stale], [NUMBER]);
    const result = await probeAccount(both, WEBHOOK, client);
    expect(result.ok).toBe(true);
    expect(names(result.checks.slice(3, 7))).toEqual([
      ["sender-number", true],
      ["messaging-service", true],
      ["webhook-url", true],
      ["webhook-method", true],
    ]);
  });
});

describe("probeAccount for a number and a disabled account", () => {
  const APP = `AP${"8".repeat(32)}`;

  it("fails the URL check while an SMS TwiML App overrides it, naming the app and the fix", async () => {
    const withApp = number("+15551234567", { smsApplicationSid: APP });
    const { client } = fakeClient(async () => service(), [withApp]);
    const result = await probeAccount(runtimeAccount({ accountSid: ACCOUNT_SID }), WEBHOOK, client);
    const url = result.checks.find((check) => check.name === "webhook-url");
    expect(url?.ok).toBe(false);
    expect(url?.detail).toContain(`SMS TwiML App ${APP}`);
    expect(url?.detail).toContain("smsctl webhook set clears the app");
    expect(result.ok).toBe(false);
  });

  it("fails a check saying the account is disabled", async () => {
    const { client } = fakeClient(async () => service(), [number("+15551234567")]);
    const off = runtimeAccount({ id: "support", accountSid: ACCOUNT_SID, enabled: false });
    const result = await probeAccount(off, WEBHOOK, client);
    expect(result.ok).toBe(false);
    expect(result.checks.filter((check) => !check.ok)).toEqual([
      { name: "account-enabled", ok: false, detail: expect.stringContaining('account "support" is disabled') },
    ]);
  });
});
