/**
 * `smsctl webhook set` and `status --probe` end to end: smsctl over HTTP to the local gateway's admin API, which
 * calls the Twilio stand-in; every form sent and every answer is checked against Twilio's published spec.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTwilioStandIn, type TwilioStandIn } from "../../infra/local/twilio-stand-in.ts";
import { createTwilioRestClient } from "../../lib/twilio/rest-client.ts";
import { ADMIN_TOKEN, type SmsctlGateway, startSmsctlGateway } from "../support/smsctl-gateway.ts";
import { type Exchange, exchangeProblems, recordingFetch, requestProblems } from "../support/twilio-exchanges.ts";

const SID = `AC${"6f".repeat(16)}`;
const TOKEN = "webhook-set-token-0001";
const NUMBER = "+15551234567";
const SERVICE_SID = `MG${"7a".repeat(16)}`;
const POOL_SID = `MG${"8b".repeat(16)}`;
const POOL_NUMBERS = ["+15552220001", "+15552220002"];
const PUBLIC = "https://sms.example.com/webhooks/sms";
const APP_NUMBER = "+15554440000";
const APP_SID = `AP${"5e".repeat(16)}`;
const BOTH_SID = `MG${"9c".repeat(16)}`;
const BOTH_NUMBER = "+15556660000";
const IN_BOTH_SERVICE = "+15556660001";

let gateway: SmsctlGateway;
let standIn: TwilioStandIn;

function configText(): string {
  return `{
    channels: { sms: {
      accountSid: "${SID}",
      authToken: "${TOKEN}",
      defaultAccount: "main",
      accounts: {
        main: { fromNumber: "${NUMBER}", publicWebhookUrl: "${PUBLIC}" },
        service: { messagingServiceSid: "${SERVICE_SID}", publicWebhookUrl: "${PUBLIC}/service" },
        pool: { messagingServiceSid: "${POOL_SID}", publicWebhookUrl: "${PUBLIC}/pool" },
        lost: { fromNumber: "+15559990000", publicWebhookUrl: "${PUBLIC}/lost" },
        local: { fromNumber: "+15553330000" },
        app: { fromNumber: "${APP_NUMBER}", publicWebhookUrl: "${PUBLIC}/app" },
        both: { fromNumber: "${BOTH_NUMBER}", messagingServiceSid: "${BOTH_SID}", publicWebhookUrl: "${PUBLIC}/both" },
        off: { enabled: false, fromNumber: "+15557770000", publicWebhookUrl: "${PUBLIC}/off" },
      },
    } },
  }`;
}

beforeEach(async () => {
  gateway = await startSmsctlGateway({ config: configText, twilioToken: TOKEN });
  standIn = await startTwilioStandIn({
    accounts: { [SID]: TOKEN },
    phoneNumbers: [
      { accountSid: SID, phoneNumber: NUMBER, smsUrl: "https://old.example.com/sms", smsMethod: "GET" },
      { accountSid: SID, phoneNumber: POOL_NUMBERS[0] ?? "" },
      { accountSid: SID, phoneNumber: POOL_NUMBERS[1] ?? "", smsUrl: `${PUBLIC}/pool` },
      // The right URL, but an SMS TwiML App overrides it.
      { accountSid: SID, phoneNumber: APP_NUMBER, smsUrl: `${PUBLIC}/app`, smsApplicationSid: APP_SID },
      { accountSid: SID, phoneNumber: BOTH_NUMBER, smsUrl: "https://old.example.com/sms" },
      { accountSid: SID, phoneNumber: IN_BOTH_SERVICE, smsUrl: "https://old.example.com/sms" },
      { accountSid: SID, phoneNumber: "+15557770000", smsUrl: "https://old.example.com/sms" },
    ],
    messagingServices: [
      { accountSid: SID, sid: SERVICE_SID, friendlyName: "Agent SMS", inboundRequestUrl: null },
      { accountSid: SID, sid: POOL_SID, useInboundWebhookOnNumber: true, phoneNumbers: POOL_NUMBERS },
      { accountSid: SID, sid: BOTH_SID, friendlyName: "Both", phoneNumbers: [IN_BOTH_SERVICE] },
    ],
  });
  gateway.twilioBaseUrl = standIn.url;
});

afterEach(async () => {
  await standIn.close();
  await gateway.stop();
  // What the client sent and what the stand-in answered both have Twilio's published shapes.
  for (const request of standIn.requests)
    expect({ ...request, problems: requestProblems(request) }).toEqual({ ...request, problems: [] });
  for (const exchange of gateway.twilioExchanges) {
    expect({ ...exchange, body: undefined, problems: exchangeProblems(exchange) }).toMatchObject({ problems: [] });
  }
});

function twilioClient(fetchImpl: typeof fetch = fetch) {
  return createTwilioRestClient({
    accountSid: SID,
    authToken: async () => TOKEN,
    baseUrl: standIn.url,
    fetch: fetchImpl,
  });
}

/** The number's webhook as Twilio has it now, read through the real client. */
async function numberWebhook(phone: string): Promise<[string | null, string | null]> {
  const found = await twilioClient().findIncomingNumber(phone);
  return [found?.smsUrl ?? null, found?.smsMethod ?? null];
}

/** The failed checks of one account's probe. */
async function failedChecks(accountId: string): Promise<Probe["checks"]> {
  const run = await gateway.smsctl("status", "--probe", "--json", "--account", accountId);
  return probeOf(run.out, accountId).checks.filter((check) => !check.ok);
}

const posts = () => standIn.requests.filter((request) => request.method === "POST");

describe("smsctl webhook set", () => {
  it("--dry-run shows before and what it would be, and changes nothing", async () => {
    const run = await gateway.smsctl("webhook", "set", "--dry-run");
    expect(run).toMatchObject({ code: 0, err: "" });
    expect(run.out).toBe(
      [
        'Dry run for account "main": nothing was changed at Twilio.',
        `  number ${NUMBER} (${standInNumberSid(NUMBER)})`,
        "    before    https://old.example.com/sms (GET)",
        `    would be  ${PUBLIC} (POST)`,
      ].join("\n"),
    );
    expect(posts()).toEqual([]);
    expect(await numberWebhook(NUMBER)).toEqual(["https://old.example.com/sms", "GET"]);
  });

  it("points the number's SmsUrl and SmsMethod at the webhook; status --probe passes afterwards; a second run changes nothing", async () => {
    const before = await gateway.smsctl("status", "--probe", "--json");
    expect(probeOf(before.out, "main").ok).toBe(false);

    const run = await gateway.smsctl("webhook", "set");
    expect(run).toMatchObject({ code: 0, err: "" });
    expect(run.out).toContain(`Account "main": pointed 1 sender(s) at ${PUBLIC} (POST).`);
    expect(run.out).toContain("before    https://old.example.com/sms (GET)");
    expect(run.out).toContain(`after     ${PUBLIC} (POST)`);
    expect(posts().map((request) => request.params)).toEqual([{ SmsUrl: [PUBLIC], SmsMethod: ["POST"] }]);
    expect(await numberWebhook(NUMBER)).toEqual([PUBLIC, "POST"]);

    const after = probeOf((await gateway.smsctl("status", "--probe", "--json", "--account", "main")).out, "main");
    expect(after.ok).toBe(true);
    expect(after.checks.filter((check) => !check.ok)).toEqual([]);

    const again = await gateway.smsctl("webhook", "set", "--json");
    expect(JSON.parse(again.out)).toMatchObject({ account: "main", dryRun: false, targets: [{ changed: false }] });
    expect(posts()).toHaveLength(1);
  });

  it("sets a Messaging Service's inbound request URL and method", async () => {
    const run = await gateway.smsctl("webhook", "set", "--account", "service");
    expect(run).toMatchObject({ code: 0, err: "" });
    expect(run.out).toContain(`Messaging Service "Agent SMS" (${SERVICE_SID})`);
    expect(run.out).toContain("before    (not set) (POST)");
    expect(posts().map((request) => [request.path, request.params])).toEqual([
      [`/v1/Services/${SERVICE_SID}`, { InboundRequestUrl: [`${PUBLIC}/service`], InboundMethod: ["POST"] }],
    ]);
    const probe = probeOf((await gateway.smsctl("status", "--probe", "--json", "--account", "service")).out, "service");
    expect(probe.ok).toBe(true);
  });

  it("sets each number of a service that defers to its numbers' webhooks, leaving one already set alone", async () => {
    const before = await failedChecks("pool");
    expect(before.map((check) => check.name)).toEqual(["webhook-url"]);
    expect(before[0]?.detail).toContain(
      `1 of 2 do not call ${PUBLIC}/pool with POST: ${POOL_NUMBERS[0]} (calls nothing`,
    );
    expect(before[0]?.detail).not.toContain(POOL_NUMBERS[1]);

    const run = await gateway.smsctl("webhook", "set", "--account", "pool", "--json");
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out) as { targets: Array<{ kind: string; name: string; changed: boolean }> };
    expect(result.targets.map((target) => [target.kind, target.name, target.changed])).toEqual([
      ["number", POOL_NUMBERS[0], true],
      ["number", POOL_NUMBERS[1], false],
    ]);
    expect(posts()).toHaveLength(1);
    expect(await numberWebhook(POOL_NUMBERS[0] ?? "")).toEqual([`${PUBLIC}/pool`, "POST"]);
    expect(await failedChecks("pool")).toEqual([]);
  });

  it("removes an SMS TwiML App that overrides the number's URL, showing it before; the probe fails until then", async () => {
    const before = await failedChecks("app");
    expect(before.map((check) => check.name)).toEqual(["webhook-url"]);
    expect(before[0]?.detail).toContain(`SMS TwiML App ${APP_SID}`);
    expect(before[0]?.detail).toContain("smsctl webhook set clears the app");

    const run = await gateway.smsctl("webhook", "set", "--account", "app");
    expect(run).toMatchObject({ code: 0, err: "" });
    expect(run.out).toContain(`before    ${PUBLIC}/app (POST); SMS TwiML App ${APP_SID} (used instead)`);
    expect(run.out).toContain(`after     ${PUBLIC}/app (POST)`);
    expect(posts().map((request) => request.params)).toEqual([
      { SmsUrl: [`${PUBLIC}/app`], SmsMethod: ["POST"], SmsApplicationSid: [""] },
    ]);
    expect((await twilioClient().findIncomingNumber(APP_NUMBER))?.smsApplicationSid).toBeNull();
    expect(await failedChecks("app")).toEqual([]);
  });

  it("with fromNumber and a Messaging Service, points the service and the number outside it, not the one inside", async () => {
    const before = await failedChecks("both");
    expect(before.map((check) => check.name)).toEqual(["webhook-url", "webhook-url"]);
    expect(before[1]?.detail).toContain(`"A message comes in" of ${BOTH_NUMBER} is https://old.example.com/sms`);

    const run = await gateway.smsctl("webhook", "set", "--account", "both");
    expect(run).toMatchObject({ code: 0, err: "" });
    expect(run.out).toContain(`Account "both": pointed 2 sender(s) at ${PUBLIC}/both (POST).`);
    expect(posts().map((request) => request.path)).toEqual([
      `/v1/Services/${BOTH_SID}`,
      expect.stringMatching(/\/IncomingPhoneNumbers\/PN[0-9a-f]{32}\.json$/),
    ]);
    expect(await numberWebhook(BOTH_NUMBER)).toEqual([`${PUBLIC}/both`, "POST"]);
    // The service's own URL is used for its numbers: this one is left as it was.
    expect(await numberWebhook(IN_BOTH_SERVICE)).toEqual(["https://old.example.com/sms", "POST"]);
    expect(await failedChecks("both")).toEqual([]);
  });

  it("refuses a disabled account (409, naming it), and its probe says it is disabled", async () => {
    const run = await gateway.smsctl("webhook", "set", "--account", "off");
    expect(run.code).toBe(1);
    expect(run.err).toContain('account "off" is disabled (enabled: false)');
    expect(run.err).toContain("11200");
    expect(posts()).toEqual([]);
    const failed = await failedChecks("off");
    expect(failed.map((check) => check.name)).toContain("account-enabled");
  });

  it("takes dryRun from the admin API's query string, as the account, and changes nothing", async () => {
    const response = await fetch(`http://127.0.0.1:${gateway.port}/admin/webhook?dryRun=1&account=main`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ account: "main", dryRun: true, targets: [{ changed: false }] });
    expect(posts()).toEqual([]);
    expect(await numberWebhook(NUMBER)).toEqual(["https://old.example.com/sms", "GET"]);
  });

  it("refuses a webhook on 127.0.0.1 and a number the account does not have, changing nothing", async () => {
    const local = await gateway.smsctl("webhook", "set", "--account", "local");
    expect(local.code).toBe(1);
    expect(local.err).toMatch(
      /^smsctl: .*Twilio cannot reach http:\/\/127\.0\.0\.1:\d+\/webhooks\/sms\/local; set publicWebhookUrl/,
    );
    const lost = await gateway.smsctl("webhook", "set", "--account", "lost");
    expect(lost).toMatchObject({
      code: 1,
      err: expect.stringContaining("+15559990000 is not a phone number of this Twilio account"),
    });
    expect(posts()).toEqual([]);
  });

  it("says Twilio refused the credentials (502), without the token, and names an unknown account", async () => {
    await standIn.close();
    standIn = await startTwilioStandIn({ accounts: { [SID]: "another-token-0000" } });
    gateway.twilioBaseUrl = standIn.url;
    const refused = await gateway.smsctl("webhook", "set");
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("HTTP 401");
    expect(refused.err).toContain("check accountSid and the auth token");
    expect(refused.err).not.toContain(TOKEN);
    const unknown = await gateway.smsctl("webhook", "set", "--account", "nope");
    expect(unknown.err).toContain('no SMS account "nope"');
  });
});

describe("a Messaging Service's numbers, a page at a time", () => {
  it("lists every number of a service with more than one page, each answer in the spec's shape", async () => {
    const many = Array.from({ length: 1001 }, (_, index) => `+1555${String(index).padStart(7, "0")}`);
    await standIn.close();
    standIn = await startTwilioStandIn({
      accounts: { [SID]: TOKEN },
      messagingServices: [{ accountSid: SID, sid: POOL_SID, useInboundWebhookOnNumber: true, phoneNumbers: many }],
    });
    const exchanges: Exchange[] = [];
    expect(await twilioClient(recordingFetch(exchanges)).listMessagingServiceNumbers(POOL_SID)).toEqual(many);
    expect(exchanges.map((exchange) => [exchange.path, exchange.status])).toEqual([
      [`/v1/Services/${POOL_SID}/PhoneNumbers`, 200],
      [`/v1/Services/${POOL_SID}/PhoneNumbers`, 200],
    ]);
    for (const exchange of exchanges) expect(exchangeProblems(exchange)).toEqual([]);
  });
});

describe("status --probe reads Twilio's message log", () => {
  it("warns of inbound messages that failed with 11200 and counts outbound statuses, and still passes", async () => {
    await gateway.smsctl("webhook", "set");
    standIn.logInbound({ accountSid: SID, from: "+15557654321", to: NUMBER, body: "hello?", errorCode: 11200 });
    standIn.logInbound({ accountSid: SID, from: "+15557654321", to: NUMBER, body: "again" });
    const client = createTwilioRestClient({ accountSid: SID, authToken: async () => TOKEN, baseUrl: standIn.url });
    const delivered = await client.sendMessage({ to: "+15557654321", from: NUMBER, body: "one" });
    const lost = await client.sendMessage({ to: "+15557654321", from: NUMBER, body: "two" });
    standIn.setMessageStatus(delivered.sid, "delivered");
    standIn.setMessageStatus(lost.sid, "undelivered", 30007);

    const probe = probeOf((await gateway.smsctl("status", "--probe", "--json", "--account", "main")).out, "main");
    expect(probe.ok).toBe(true);
    const inbound = probe.checks.find((check) => check.name === "recent-inbound");
    expect(inbound).toMatchObject({ ok: true, warning: true });
    expect(inbound?.detail).toContain(
      "1 of the last 2 inbound messages failed with 11200 (Twilio could not reach the webhook): +155****4321 at ",
    );
    expect(inbound?.detail).toContain("publicWebhookUrl");
    expect(inbound?.detail).not.toContain("7654321");
    const outbound = probe.checks.find((check) => check.name === "recent-outbound");
    expect(outbound).toMatchObject({
      ok: true,
      warning: true,
      detail: "last 2 outbound: 1 delivered, 1 undelivered; errors 30007 ×1 (see twilio.com/docs/errors/<code>)",
    });

    const text = await gateway.smsctl("status", "--probe", "--account", "main");
    expect(text.out).toMatch(/WARN\s+recent-inbound/);
  });
});

interface Probe {
  ok: boolean;
  checks: Array<{ name: string; ok: boolean; detail: string; warning?: boolean }>;
}

function probeOf(statusJson: string, accountId: string): Probe {
  const status = JSON.parse(statusJson) as { accounts: Array<{ id: string; probe: Probe }> };
  const account = status.accounts.find((candidate) => candidate.id === accountId);
  if (!account) throw new Error(`no account ${accountId} in ${statusJson}`);
  return account.probe;
}

function standInNumberSid(phone: string): string {
  const answer = gateway.twilioExchanges
    .map((exchange) => exchange.body as { incoming_phone_numbers?: Array<{ phone_number: string; sid: string }> })
    .flatMap((body) => body.incoming_phone_numbers ?? [])
    .find((number) => number.phone_number === phone);
  return answer?.sid ?? "unknown";
}
