import { describe, expect, it } from "vitest";
import { TwilioApiError, TwilioTimeoutError } from "../../../lib/twilio/api-errors.ts";
import { createTwilioRestClient, type TwilioRestClientOptions } from "../../../lib/twilio/rest-client.ts";

const ACCOUNT_SID = `AC${"1".repeat(32)}`;
const TOKEN = "unit-test-token-9f8e7d";
const MESSAGE_SID = `SM${"a".repeat(32)}`;

interface RecordedCall {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
  signal: AbortSignal | undefined;
}

/** A fetch that records each call and answers with `respond`. */
function fakeFetch(respond: (call: RecordedCall) => Response | Promise<Response>) {
  const calls: RecordedCall[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const call: RecordedCall = {
      url: String(input),
      method: init?.method ?? "GET",
      headers: new Headers(init?.headers),
      body: typeof init?.body === "string" ? init.body : undefined,
      signal: init?.signal ?? undefined,
    };
    calls.push(call);
    return respond(call);
  };
  return { fetchImpl, calls };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function messageJson(overrides: Record<string, unknown> = {}) {
  return {
    sid: MESSAGE_SID,
    status: "queued",
    to: "+14155550100",
    from: "+14155550199",
    body: "hello",
    num_segments: "1",
    date_created: "Thu, 24 Aug 2023 05:01:45 +0000",
    error_code: null,
    direction: "outbound-api",
    messaging_service_sid: null,
    ...overrides,
  };
}

function client(fetchImpl: typeof fetch, options: Partial<TwilioRestClientOptions> = {}) {
  return createTwilioRestClient({
    accountSid: ACCOUNT_SID,
    authToken: async () => TOKEN,
    fetch: fetchImpl,
    ...options,
  });
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("sendMessage", () => {
  it("POSTs the form to Messages.json with Basic auth and maps the answer", async () => {
    const { fetchImpl, calls } = fakeFetch(() => json(201, messageJson()));
    const message = await client(fetchImpl).sendMessage({
      to: "+14155550100",
      from: "+14155550199",
      body: "hello",
      mediaUrls: ["https://example.com/1.png", "https://example.com/2.png"],
      statusCallback: "https://hooks.example.com/status",
    });

    expect(message).toEqual({
      sid: MESSAGE_SID,
      status: "queued",
      to: "+14155550100",
      from: "+14155550199",
      body: "hello",
      numSegments: "1",
      dateCreated: "Thu, 24 Aug 2023 05:01:45 +0000",
      errorCode: null,
      direction: "outbound-api",
      messagingServiceSid: null,
    });
    expect(calls).toHaveLength(1);
    const call = calls[0];
    expect(call?.method).toBe("POST");
    expect(call?.url).toBe(`https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(call?.headers.get("authorization")).toBe(
      `Basic ${Buffer.from(`${ACCOUNT_SID}:${TOKEN}`).toString("base64")}`,
    );
    expect(call?.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    const form = new URLSearchParams(call?.body);
    expect(form.get("To")).toBe("+14155550100");
    expect(form.get("From")).toBe("+14155550199");
    expect(form.get("Body")).toBe("hello");
    expect(form.getAll("MediaUrl")).toEqual(["https://example.com/1.png", "https://example.com/2.png"]);
    expect(form.get("StatusCallback")).toBe("https://hooks.example.com/status");
    expect(call?.signal).toBeInstanceOf(AbortSignal);
  });

  it("sends to the base URL override (TWILIO_API_BASE_URL), trailing slash or not", async () => {
    const { fetchImpl, calls } = fakeFetch(() => json(201, messageJson()));
    await client(fetchImpl, { baseUrl: "http://127.0.0.1:4010/" }).sendMessage({ to: "+1415555010", body: "x" });
    expect(calls[0]?.url).toBe(`http://127.0.0.1:4010/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
  });

  it("resolves the token lazily, on every request", async () => {
    let reads = 0;
    const { fetchImpl, calls } = fakeFetch(() => json(201, messageJson()));
    const twilio = client(fetchImpl, {
      authToken: async () => {
        reads += 1;
        return `token-${reads}`;
      },
    });
    expect(reads).toBe(0);
    await twilio.sendMessage({ to: "+14155550100", body: "a" });
    await twilio.sendMessage({ to: "+14155550100", body: "b" });
    expect(reads).toBe(2);
    expect(calls[1]?.headers.get("authorization")).toBe(
      `Basic ${Buffer.from(`${ACCOUNT_SID}:token-2`).toString("base64")}`,
    );
  });

  it.each([
    [429, 20429, "retryable"],
    [500, 20500, "retryable"],
    [401, 20003, "auth"],
    [400, 21610, "opted-out"],
    [400, 21211, "terminal"],
  ] as const)("maps HTTP %i / %i to a TwilioApiError of kind %s", async (status, code, kind) => {
    const { fetchImpl } = fakeFetch(() =>
      json(status, {
        code,
        message: "Twilio says no",
        more_info: `https://www.twilio.com/docs/errors/${code}`,
        status,
      }),
    );
    const error = await caught(client(fetchImpl).sendMessage({ to: "+14155550100", body: "hello" }));
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toMatchObject({
      httpStatus: status,
      code,
      kind,
      moreInfo: `https://www.twilio.com/docs/errors/${code}`,
      message: `Twilio sendMessage failed with HTTP ${status} code ${code}: Twilio says no`,
    });
  });

  it("turns a timeout into an ambiguous TwilioTimeoutError", async () => {
    const { fetchImpl } = fakeFetch(
      (call) =>
        new Promise<Response>((_resolve, reject) => {
          call.signal?.addEventListener("abort", () => reject(call.signal?.reason));
        }),
    );
    const error = await caught(client(fetchImpl, { timeoutMs: 20 }).sendMessage({ to: "+14155550100", body: "x" }));
    expect(error).toBeInstanceOf(TwilioTimeoutError);
    expect(error).toMatchObject({ kind: "ambiguous", reason: "timeout", operation: "sendMessage" });
  });

  it("turns a network failure into an ambiguous TwilioTimeoutError", async () => {
    const { fetchImpl } = fakeFetch(() => Promise.reject(new TypeError("fetch failed")));
    const error = await caught(client(fetchImpl).sendMessage({ to: "+14155550100", body: "x" }));
    expect(error).toMatchObject({ name: "TwilioTimeoutError", kind: "ambiguous", reason: "network" });
  });

  it("treats an unreadable 2xx answer as ambiguous, not as a failure to retry blindly", async () => {
    const { fetchImpl } = fakeFetch(() => new Response("<html>", { status: 201 }));
    const error = await caught(client(fetchImpl).sendMessage({ to: "+14155550100", body: "x" }));
    expect(error).toMatchObject({ kind: "ambiguous", reason: "unreadable-response" });
  });

  it("never puts the auth token or the message body in what it throws", async () => {
    const body = "my very private message";
    const echoing = fakeFetch(() =>
      json(400, { code: 21211, message: `Rejected ${body} sent with ${TOKEN} for +14155550100`, status: 400 }),
    );
    const failing = fakeFetch(() => Promise.reject(new Error(`socket closed while sending ${body}`)));
    const errors = [
      await caught(client(echoing.fetchImpl).sendMessage({ to: "+14155550100", body })),
      await caught(client(failing.fetchImpl).sendMessage({ to: "+14155550100", body })),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(Error);
      const text = `${String(error)} ${(error as Error).stack ?? ""} ${JSON.stringify(error)}`;
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(body);
      expect(text).not.toContain("+14155550100");
    }
  });
});

describe("listMessages", () => {
  it("GETs Messages.json with the filters and maps every message", async () => {
    const { fetchImpl, calls } = fakeFetch(() =>
      json(200, { messages: [messageJson(), messageJson({ sid: `SM${"b".repeat(32)}`, error_code: 30007 })] }),
    );
    const messages = await client(fetchImpl).listMessages({
      to: "+14155550100",
      from: "+14155550199",
      dateSentAfter: new Date("2024-01-02T03:04:05Z"),
      pageSize: 20,
    });
    expect(calls[0]?.method).toBe("GET");
    const url = new URL(calls[0]?.url ?? "");
    expect(url.pathname).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      To: "+14155550100",
      From: "+14155550199",
      "DateSent>": "2024-01-02T03:04:05Z",
      PageSize: "20",
    });
    expect(calls[0]?.body).toBeUndefined();
    expect(messages.map((m) => [m.sid, m.errorCode])).toEqual([
      [MESSAGE_SID, null],
      [`SM${"b".repeat(32)}`, 30007],
    ]);
  });
});

describe("fetchAccount", () => {
  it("GETs the account and leaves its auth_token behind", async () => {
    const { fetchImpl, calls } = fakeFetch(() =>
      json(200, { sid: ACCOUNT_SID, status: "active", friendly_name: "Prod", type: "Full", auth_token: TOKEN }),
    );
    const account = await client(fetchImpl).fetchAccount();
    expect(calls[0]?.url).toBe(`https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}.json`);
    expect(account).toEqual({ sid: ACCOUNT_SID, status: "active", friendlyName: "Prod", type: "Full" });
  });
});

describe("findIncomingNumber", () => {
  const number = (phone: string, capabilities: Record<string, boolean>) => ({
    sid: `PN${"c".repeat(32)}`,
    phone_number: phone,
    sms_url: "https://hooks.example.com/webhooks/sms",
    sms_method: "POST",
    capabilities,
  });

  it("filters by PhoneNumber and returns the exact match", async () => {
    const { fetchImpl, calls } = fakeFetch(() =>
      json(200, {
        incoming_phone_numbers: [
          number("+141555501000", { sms: false, mms: false }),
          number("+14155550100", { voice: true, sms: true, mms: false }),
        ],
      }),
    );
    const found = await client(fetchImpl).findIncomingNumber("+14155550100");
    const url = new URL(calls[0]?.url ?? "");
    expect(url.pathname).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/IncomingPhoneNumbers.json`);
    expect(url.searchParams.get("PhoneNumber")).toBe("+14155550100");
    expect(found).toEqual({
      sid: `PN${"c".repeat(32)}`,
      phoneNumber: "+14155550100",
      smsUrl: "https://hooks.example.com/webhooks/sms",
      smsMethod: "POST",
      smsApplicationSid: null,
      capabilities: { sms: true, mms: false },
    });
  });

  it("reads the SMS TwiML App that overrides the number's SMS URLs", async () => {
    const app = `AP${"e".repeat(32)}`;
    const withApp = { ...number("+14155550100", { sms: true }), sms_application_sid: app };
    const { fetchImpl } = fakeFetch(() => json(200, { incoming_phone_numbers: [withApp] }));
    expect(await client(fetchImpl).findIncomingNumber("+14155550100")).toMatchObject({ smsApplicationSid: app });
  });

  it("returns null when the account does not own the number", async () => {
    const { fetchImpl } = fakeFetch(() => json(200, { incoming_phone_numbers: [] }));
    expect(await client(fetchImpl).findIncomingNumber("+14155550100")).toBeNull();
  });
});

describe("fetchMessagingService", () => {
  const SERVICE_SID = `MG${"d".repeat(32)}`;
  const serviceJson = (overrides: Record<string, unknown> = {}) => ({
    account_sid: ACCOUNT_SID,
    sid: SERVICE_SID,
    friendly_name: "Agent SMS",
    inbound_request_url: "https://hooks.example.com/webhooks/sms",
    inbound_method: "POST",
    use_inbound_webhook_on_number: false,
    ...overrides,
  });

  it("GETs the service from messaging.twilio.com with Basic auth and maps it", async () => {
    const { fetchImpl, calls } = fakeFetch(() => json(200, serviceJson()));
    const service = await client(fetchImpl).fetchMessagingService(SERVICE_SID);
    expect(calls[0]?.url).toBe(`https://messaging.twilio.com/v1/Services/${SERVICE_SID}`);
    expect(calls[0]?.method).toBe("GET");
    expect(calls[0]?.headers.get("authorization")).toBe(
      `Basic ${Buffer.from(`${ACCOUNT_SID}:${TOKEN}`).toString("base64")}`,
    );
    expect(service).toEqual({
      sid: SERVICE_SID,
      friendlyName: "Agent SMS",
      inboundRequestUrl: "https://hooks.example.com/webhooks/sms",
      inboundMethod: "POST",
      useInboundWebhookOnNumber: false,
    });
  });

  it("sends to the same base URL override as the 2010-04-01 calls", async () => {
    const { fetchImpl, calls } = fakeFetch(() => json(200, serviceJson()));
    await client(fetchImpl, { baseUrl: "http://127.0.0.1:4010/" }).fetchMessagingService(SERVICE_SID);
    expect(calls[0]?.url).toBe(`http://127.0.0.1:4010/v1/Services/${SERVICE_SID}`);
  });

  it("maps an unset or empty request URL to null and a missing flag to false", async () => {
    const { fetchImpl } = fakeFetch(() =>
      json(200, serviceJson({ inbound_request_url: "", inbound_method: null, use_inbound_webhook_on_number: null })),
    );
    expect(await client(fetchImpl).fetchMessagingService(SERVICE_SID)).toMatchObject({
      inboundRequestUrl: null,
      inboundMethod: null,
      useInboundWebhookOnNumber: false,
    });
  });

  it("throws a TwilioApiError for an unknown service, without the token", async () => {
    const { fetchImpl } = fakeFetch(() =>
      json(404, {
        code: 20404,
        message: `The requested resource /v1/Services/${SERVICE_SID} was not found (${TOKEN})`,
        more_info: "https://www.twilio.com/docs/errors/20404",
        status: 404,
      }),
    );
    const error = await caught(client(fetchImpl).fetchMessagingService(SERVICE_SID));
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toMatchObject({ httpStatus: 404, code: 20404, kind: "terminal", operation: "fetchMessagingService" });
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it("treats a 2xx answer that is not a service as unreadable", async () => {
    const { fetchImpl } = fakeFetch(() => json(200, { nope: true }));
    const error = await caught(client(fetchImpl).fetchMessagingService(SERVICE_SID));
    expect(error).toBeInstanceOf(TwilioTimeoutError);
    expect(error).toMatchObject({ operation: "fetchMessagingService", reason: "unreadable-response" });
  });
});

describe("updateIncomingNumberWebhook", () => {
  const NUMBER_SID = `PN${"c".repeat(32)}`;
  const answer = {
    sid: NUMBER_SID,
    phone_number: "+14155550100",
    sms_url: "https://a.example/sms",
    sms_method: "POST",
  };

  it("POSTs SmsUrl and SmsMethod, and an empty SmsApplicationSid only when asked to remove the app", async () => {
    const { fetchImpl, calls } = fakeFetch(() => json(200, { ...answer, sms_application_sid: null }));
    const webhook = { url: "https://a.example/sms", method: "POST" } as const;
    await client(fetchImpl).updateIncomingNumberWebhook(NUMBER_SID, webhook);
    const updated = await client(fetchImpl).updateIncomingNumberWebhook(NUMBER_SID, webhook, {
      clearSmsApplication: true,
    });
    expect(calls.map((call) => call.body)).toEqual([
      "SmsUrl=https%3A%2F%2Fa.example%2Fsms&SmsMethod=POST",
      "SmsUrl=https%3A%2F%2Fa.example%2Fsms&SmsMethod=POST&SmsApplicationSid=",
    ]);
    expect(calls[1]?.url).toBe(
      `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/IncomingPhoneNumbers/${NUMBER_SID}.json`,
    );
    expect(updated.smsApplicationSid).toBeNull();
  });
});

describe("listMessagingServiceNumbers", () => {
  const SERVICE_SID = `MG${"d".repeat(32)}`;
  const PATH = `/v1/Services/${SERVICE_SID}/PhoneNumbers`;
  const pageOf = (phones: string[], next: string | null) => ({
    phone_numbers: phones.map((phone) => ({ phone_number: phone })),
    meta: { key: "phone_numbers", next_page_url: next },
  });

  it("follows meta.next_page_url, asking the configured host for the same path with the next page's query", async () => {
    const { fetchImpl, calls } = fakeFetch((call) =>
      new URL(call.url).searchParams.get("PageToken") === "PT2"
        ? json(200, pageOf(["+15550000003"], null))
        : json(
            200,
            pageOf(["+15550000001", "+15550000002"], `https://elsewhere.example${PATH}?PageSize=2&PageToken=PT2`),
          ),
    );
    const numbers = await client(fetchImpl, { baseUrl: "http://127.0.0.1:4010" }).listMessagingServiceNumbers(
      SERVICE_SID,
    );
    expect(numbers).toEqual(["+15550000001", "+15550000002", "+15550000003"]);
    expect(calls.map((call) => call.url)).toEqual([
      `http://127.0.0.1:4010${PATH}?PageSize=1000`,
      `http://127.0.0.1:4010${PATH}?PageSize=2&PageToken=PT2`,
    ]);
  });

  it("treats a next page that was already read as unreadable rather than looping", async () => {
    const { fetchImpl } = fakeFetch(() =>
      json(200, pageOf(["+15550000001"], `https://messaging.twilio.com${PATH}?PageSize=1000`)),
    );
    const error = await caught(client(fetchImpl).listMessagingServiceNumbers(SERVICE_SID));
    expect(error).toMatchObject({ operation: "listMessagingServiceNumbers", reason: "unreadable-response" });
  });
});
