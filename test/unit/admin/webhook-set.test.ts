import { describe, expect, it } from "vitest";
import { AdminError } from "../../../lib/admin/admin-error.ts";
import { pointSenderAtWebhook } from "../../../lib/admin/webhook-set.ts";
import { DEFAULT_RATE_LIMITS } from "../../../lib/config/policy.ts";
import type { RuntimeAccount } from "../../../lib/config/types.ts";
import { TwilioApiError } from "../../../lib/twilio/api-errors.ts";
import type {
  InboundWebhook,
  TwilioIncomingNumber,
  TwilioMessagingService,
  TwilioRestClient,
} from "../../../lib/twilio/rest-client.ts";
import { twilioClientWith } from "../../support/twilio-client-fake.ts";

const WEBHOOK = "https://abc.execute-api.us-east-1.amazonaws.com/prod/webhooks/sms";
const NUMBER = "+15551234567";
const SERVICE_SID = `MG${"2".repeat(32)}`;

const account: RuntimeAccount = {
  id: "default",
  enabled: true,
  accountSid: `AC${"1".repeat(32)}`,
  authToken: { source: "env", id: "TWILIO_AUTH_TOKEN" },
  fromNumber: NUMBER,
  webhookPath: "/webhooks/sms",
  dmPolicy: "pairing",
  allowFrom: [],
  dangerouslyDisableSignatureValidation: false,
  inboundRateLimit: { ...DEFAULT_RATE_LIMITS },
  agent: { kind: "echo" },
  agentConfigured: false,
};
const { fromNumber: _number, ...withoutNumber } = account;
const viaService: RuntimeAccount = { ...withoutNumber, messagingServiceSid: SERVICE_SID };

function number(phone: string, smsUrl: string | null, smsMethod: string | null = "POST"): TwilioIncomingNumber {
  return {
    sid: `PN${phone.slice(-4).padStart(32, "0")}`,
    phoneNumber: phone,
    smsUrl,
    smsMethod,
    capabilities: { sms: true, mms: true },
  };
}

/** A Twilio with these numbers (and service): lookups read them, updates change them and are recorded. */
function twilioWith(numbers: TwilioIncomingNumber[], service?: TwilioMessagingService, pool: string[] = []) {
  const updates: Array<[string, InboundWebhook]> = [];
  const client: TwilioRestClient = twilioClientWith({
    findIncomingNumber: async (phone) => numbers.find((candidate) => candidate.phoneNumber === phone) ?? null,
    updateIncomingNumberWebhook: async (sid, webhook) => {
      updates.push([sid, webhook]);
      const found = numbers.find((candidate) => candidate.sid === sid);
      if (!found) throw new Error(`unknown ${sid}`);
      return { ...found, smsUrl: webhook.url, smsMethod: webhook.method };
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

function service(overrides: Partial<TwilioMessagingService> = {}): TwilioMessagingService {
  return {
    sid: SERVICE_SID,
    friendlyName: "Agent SMS",
    inboundRequestUrl: null,
    inboundMethod: "POST",
    useInboundWebhookOnNumber: false,
    ...overrides,
  };
}

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
    expect(result.targets[0]?.changed).toBe(false);
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
