import { describe, expect, it } from "vitest";
import { AdminError } from "../../../lib/admin/admin-error.ts";
import { pointSenderAtWebhook } from "../../../lib/admin/webhook-set.ts";
import { TwilioApiError } from "../../../lib/twilio/api-errors.ts";
import type {
  InboundWebhook,
  NumberWebhookOptions,
  TwilioIncomingNumber,
  TwilioMessagingService,
  TwilioRestClient,
} from "../../../lib/twilio/rest-client.ts";
import { runtimeAccount } from "../../support/runtime-account.ts";
import { incomingNumber, messagingService, twilioClientWith } from "../../support/twilio-client-fake.ts";

const WEBHOOK = "https://abc.execute-api.us-east-1.amazonaws.com/prod/webhooks/sms";
const NUMBER = "+15551234567";
const SERVICE_SID = `MG${"2".repeat(32)}`;

const account = runtimeAccount({ fromNumber: NUMBER });
const withoutNumber = runtimeAccount({ fromNumber: undefined });
const viaService = runtimeAccount({ fromNumber: undefined, messagingServiceSid: SERVICE_SID });
const APP_SID = `AP${"5".repeat(32)}`;

const number = (
  phone: string,
  smsUrl: string | null,
  smsMethod: string | null = "POST",
  smsApplicationSid: string | null = null,
) => incomingNumber(phone, { smsUrl, smsMethod, smsApplicationSid });

type Update = [string, InboundWebhook] | [string, InboundWebhook, NumberWebhookOptions];

/**
 * A Twilio with these numbers (and service): lookups read them, updates change them and are recorded (a number's
 * options only when it clears an app); an update of a sid in `failing` answers HTTP 500.
 */
function twilioWith(
  numbers: TwilioIncomingNumber[],
  service?: TwilioMessagingService,
  pool: string[] = [],
  failing: string[] = [],
) {
  const updates: Update[] = [];
  const client: TwilioRestClient = twilioClientWith({
    findIncomingNumber: async (phone) => numbers.find((candidate) => candidate.phoneNumber === phone) ?? null,
    updateIncomingNumberWebhook: async (sid, webhook, options = {}) => {
      if (failing.includes(sid)) throw serverError("updateIncomingNumberWebhook");
      updates.push(options.clearSmsApplication ? [sid, webhook, options] : [sid, webhook]);
      const found = numbers.find((candidate) => candidate.sid === sid);
      if (!found) throw new Error(`unknown ${sid}`);
      return {
        ...found,
        smsUrl: webhook.url,
        smsMethod: webhook.method,
        smsApplicationSid: options.clearSmsApplication ? null : found.smsApplicationSid,
      };
    },
    fetchMessagingService: async (sid) => {
      if (service?.sid !== sid) {
        throw new TwilioApiError({
          operation: "fetchMessagingService",
          httpStatus: 404,
          code: 20404,
          twilioMessage: "not found",
          moreInfo: null,
        });
      }
      return service;
    },
    updateMessagingServiceWebhook: async (sid, webhook) => {
      updates.push([sid, webhook]);
      return { ...(service as TwilioMessagingService), inboundRequestUrl: webhook.url, inboundMethod: webhook.method };
    },
    listMessagingServiceNumbers: async () => pool,
  });
  return { client, updates };
}

function serverError(operation: string): TwilioApiError {
  return new TwilioApiError({
    operation,
    httpStatus: 500,
    code: 20500,
    twilioMessage: "Internal error",
    moreInfo: null,
  });
}

const service = (overrides: Partial<TwilioMessagingService> = {}) => messagingService(SERVICE_SID, overrides);

async function refusal(promise: Promise<unknown>): Promise<AdminError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AdminError)) throw new Error(`expected an AdminError, got ${String(error)}`);
  return error;
}

describe("pointSenderAtWebhook", () => {
  it("sets a number's SmsUrl and SmsMethod, reporting before and after", async () => {
    const { client, updates } = twilioWith([number(NUMBER, "https://old.example.com/sms", "GET")]);
    const result = await pointSenderAtWebhook(account, WEBHOOK, client, false);
    expect(updates).toEqual([[number(NUMBER, null).sid, { url: WEBHOOK, method: "POST" }]]);
    expect(result).toEqual({
      account: "default",
      webhookUrl: WEBHOOK,
      dryRun: false,
      targets: [
        {
          kind: "number",
          sid: number(NUMBER, null).sid,
          name: NUMBER,
          before: { url: "https://old.example.com/sms", method: "GET" },
          after: { url: WEBHOOK, method: "POST" },
          changed: true,
        },
      ],
    });
  });

  it("changes nothing on a dry run, but says what it would set", async () => {
    const { client, updates } = twilioWith([number(NUMBER, null, null)]);
    const result = await pointSenderAtWebhook(account, WEBHOOK, client, true);
    expect(updates).toEqual([]);
    expect(result.targets[0]).toMatchObject({
      before: { url: null, method: null },
      after: { url: WEBHOOK, method: "POST" },
      changed: false,
    });
  });

  it.each([
    ["the same URL with POST", WEBHOOK, "POST"],
    ["lower-case post", WEBHOOK, "post"],
    ["connection overrides in the fragment (kept)", `${WEBHOOK}#rc=3&rp=5xx`, "POST"],
  ])("leaves a number already set alone: %s", async (_label, smsUrl, smsMethod) => {
    const { client, updates } = twilioWith([number(NUMBER, smsUrl, smsMethod)]);
    const result = await pointSenderAtWebhook(account, WEBHOOK, client, false);
    expect(updates).toEqual([]);
    // "after" is what Twilio has, not the configured URL without the sender's fragment.
    expect(result.targets[0]).toMatchObject({ changed: false, after: { url: smsUrl, method: smsMethod } });
  });

  it("keeps the sender's connection overrides when only the method is wrong", async () => {
    const { client, updates } = twilioWith([number(NUMBER, `${WEBHOOK}#rc=3&rp=5xx`, "GET")]);
    const result = await pointSenderAtWebhook(account, WEBHOOK, client, false);
    expect(updates).toEqual([[number(NUMBER, null).sid, { url: `${WEBHOOK}#rc=3&rp=5xx`, method: "POST" }]]);
    expect(result.targets[0]?.after).toEqual({ url: `${WEBHOOK}#rc=3&rp=5xx`, method: "POST" });
  });

  it("removes an SMS TwiML App (which overrides SmsUrl) even when SmsUrl is already right, showing it before", async () => {
    const { client, updates } = twilioWith([number(NUMBER, WEBHOOK, "POST", APP_SID)]);
    const dry = await pointSenderAtWebhook(account, WEBHOOK, client, true);
    expect(dry.targets[0]).toMatchObject({
      before: { url: WEBHOOK, method: "POST", smsApplicationSid: APP_SID },
      after: { url: WEBHOOK, method: "POST" },
      changed: false,
    });
    expect(dry.targets[0]?.after).not.toHaveProperty("smsApplicationSid");
    const result = await pointSenderAtWebhook(account, WEBHOOK, client, false);
    expect(updates).toEqual([
      [number(NUMBER, null).sid, { url: WEBHOOK, method: "POST" }, { clearSmsApplication: true }],
    ]);
    expect(result.targets[0]).toEqual({
      kind: "number",
      sid: number(NUMBER, null).sid,
      name: NUMBER,
      before: { url: WEBHOOK, method: "POST", smsApplicationSid: APP_SID },
      after: { url: WEBHOOK, method: "POST" },
      changed: true,
    });
  });

  it.each([
    ["a trailing slash", `${WEBHOOK}/`, "POST"],
    ["GET", WEBHOOK, "GET"],
    ["another host", "https://old.example.com/webhooks/sms", "POST"],
  ])("changes a number set almost right: %s", async (_label, smsUrl, smsMethod) => {
    const { client, updates } = twilioWith([number(NUMBER, smsUrl, smsMethod)]);
    await pointSenderAtWebhook(account, WEBHOOK, client, false);
    expect(updates).toHaveLength(1);
  });

  it("sets the fragment when the configured URL carries one", async () => {
    const { client, updates } = twilioWith([number(NUMBER, WEBHOOK)]);
    await pointSenderAtWebhook(account, `${WEBHOOK}#rc=2`, client, false);
    expect(updates).toEqual([[number(NUMBER, null).sid, { url: `${WEBHOOK}#rc=2`, method: "POST" }]]);
  });

  it("sets a Messaging Service's own inbound request URL", async () => {
    const { client, updates } = twilioWith([], service({ inboundRequestUrl: "https://old.example.com/sms" }));
    const result = await pointSenderAtWebhook(viaService, WEBHOOK, client, false);
    expect(updates).toEqual([[SERVICE_SID, { url: WEBHOOK, method: "POST" }]]);
    expect(result.targets).toEqual([
      {
        kind: "messaging-service",
        sid: SERVICE_SID,
        name: "Agent SMS",
        before: { url: "https://old.example.com/sms", method: "POST" },
        after: { url: WEBHOOK, method: "POST" },
        changed: true,
      },
    ]);
  });

  it("sets each number of a service that defers to its numbers' webhooks", async () => {
    const pool = ["+15552220001", "+15552220002"];
    const { client, updates } = twilioWith(
      [number(pool[0] ?? "", null), number(pool[1] ?? "", WEBHOOK)],
      service({ useInboundWebhookOnNumber: true }),
      pool,
    );
    const result = await pointSenderAtWebhook(viaService, WEBHOOK, client, false);
    expect(result.targets.map((target) => [target.kind, target.name, target.changed])).toEqual([
      ["number", pool[0], true],
      ["number", pool[1], false],
    ]);
    expect(updates).toHaveLength(1);
  });

  it("with both fromNumber and a service, sets the service and the number when it is not in the service", async () => {
    const both = runtimeAccount({ fromNumber: NUMBER, messagingServiceSid: SERVICE_SID });
    const { client, updates } = twilioWith([number(NUMBER, null)], service(), ["+15552220001"]);
    const result = await pointSenderAtWebhook(both, WEBHOOK, client, false);
    expect(result.targets.map((target) => [target.kind, target.name, target.changed])).toEqual([
      ["messaging-service", "Agent SMS", true],
      ["number", NUMBER, true],
    ]);
    expect(updates.map(([sid]) => sid)).toEqual([SERVICE_SID, number(NUMBER, null).sid]);
  });

  it("with both, leaves a number in a service that does not defer alone (the service's URL is used)", async () => {
    const both = runtimeAccount({ fromNumber: NUMBER, messagingServiceSid: SERVICE_SID });
    const { client, updates } = twilioWith([number(NUMBER, "https://old.example.com/sms")], service(), [NUMBER]);
    const result = await pointSenderAtWebhook(both, WEBHOOK, client, false);
    expect(result.targets.map((target) => [target.kind, target.changed])).toEqual([["messaging-service", true]]);
    expect(updates).toEqual([[SERVICE_SID, { url: WEBHOOK, method: "POST" }]]);
  });

  it("with both and a deferring service, sets its numbers once each and fromNumber outside it", async () => {
    const both = runtimeAccount({ fromNumber: NUMBER, messagingServiceSid: SERVICE_SID });
    const pool = ["+15552220001", NUMBER];
    const numbers = [number(pool[0] ?? "", null), number(NUMBER, null)];
    const { client, updates } = twilioWith(numbers, service({ useInboundWebhookOnNumber: true }), pool);
    const result = await pointSenderAtWebhook(both, WEBHOOK, client, false);
    expect(result.targets.map((target) => target.name)).toEqual(pool);
    expect(updates).toHaveLength(2);
  });

  it("refuses a disabled account (its webhook answers 404) with 409 naming it, before asking Twilio", async () => {
    const off = runtimeAccount({ id: "support", enabled: false });
    const error = await refusal(pointSenderAtWebhook(off, WEBHOOK, twilioClientWith(), false));
    expect(error).toMatchObject({ status: 409, code: "account_disabled" });
    expect(error.message).toContain('account "support" is disabled (enabled: false)');
    expect(error.message).toContain("404");
    expect(error.message).toContain("11200");
  });

  it("changes nothing when one of a deferring service's numbers is not the account's", async () => {
    const pool = ["+15552220001", "+15552220002"];
    const { client, updates } = twilioWith(
      [number(pool[0] ?? "", null)],
      service({ useInboundWebhookOnNumber: true }),
      pool,
    );
    const error = await refusal(pointSenderAtWebhook(viaService, WEBHOOK, client, false));
    expect(error).toMatchObject({ status: 409, code: "sender_not_found" });
    expect(error.message).toBe(
      `+15552220002 (in Messaging Service ${SERVICE_SID}) is not a phone number of this Twilio account`,
    );
    expect(updates).toEqual([]);
  });

  it("says which numbers were already changed when Twilio fails part-way through a pool", async () => {
    const pool = ["+15552220001", "+15552220002", "+15552220003"];
    const numbers = pool.map((phone) => number(phone, null));
    const { client, updates } = twilioWith(numbers, service({ useInboundWebhookOnNumber: true }), pool, [
      numbers[1]?.sid ?? "",
    ]);
    const error = await refusal(pointSenderAtWebhook(viaService, WEBHOOK, client, false));
    expect(error).toMatchObject({ status: 502, code: "twilio_error" });
    expect(error.message).toContain("HTTP 500");
    expect(error.message).toContain(
      "while pointing +15552220002, after changing +15552220001 (1 of 3); run smsctl webhook set again to finish",
    );
    expect(updates).toHaveLength(1);
  });

  it("refuses, naming the problem: no such number, no such service, an empty pool, no sender, a loopback URL", async () => {
    const nothing = twilioWith([]).client;
    expect(await refusal(pointSenderAtWebhook(account, WEBHOOK, nothing, false))).toMatchObject({
      status: 409,
      code: "sender_not_found",
      message: `${NUMBER} is not a phone number of this Twilio account`,
    });
    expect(await refusal(pointSenderAtWebhook(viaService, WEBHOOK, nothing, false))).toMatchObject({
      code: "sender_not_found",
      message: `${SERVICE_SID} is not a Messaging Service of this Twilio account`,
    });
    const emptyPool = twilioWith([], service({ useInboundWebhookOnNumber: true })).client;
    expect((await refusal(pointSenderAtWebhook(viaService, WEBHOOK, emptyPool, false))).message).toContain(
      "has no phone numbers",
    );
    expect(await refusal(pointSenderAtWebhook(withoutNumber, WEBHOOK, nothing, false))).toMatchObject({
      status: 409,
      code: "no_sender",
    });
    const local = await refusal(pointSenderAtWebhook(account, "http://127.0.0.1:8787/webhooks/sms", nothing, false));
    expect(local).toMatchObject({ status: 409, code: "webhook_not_public" });
    expect(local.message).toContain("set publicWebhookUrl");
  });

  it("answers a Twilio failure as 502 with the adapter's text", async () => {
    const client = twilioClientWith({
      findIncomingNumber: async () => {
        throw new TwilioApiError({
          operation: "findIncomingNumber",
          httpStatus: 401,
          code: 20003,
          twilioMessage: "Authenticate",
          moreInfo: null,
        });
      },
    });
    const error = await refusal(pointSenderAtWebhook(account, WEBHOOK, client, false));
    expect(error).toMatchObject({ status: 502, code: "twilio_error" });
    expect(error.message).toContain("check accountSid and the auth token");
  });
});
