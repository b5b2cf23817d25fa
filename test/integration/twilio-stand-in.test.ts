import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type StandInMessage, startTwilioStandIn, type TwilioStandIn } from "../../infra/local/twilio-stand-in.ts";
import { TwilioApiError, TwilioTimeoutError } from "../../lib/twilio/api-errors.ts";
import { createTwilioRestClient, type TwilioRestClientOptions } from "../../lib/twilio/rest-client.ts";
import {
  type Exchange,
  exchangeProblems,
  recordingFetch as recording,
  requestProblems,
} from "../support/twilio-exchanges.ts";
import { validateCreateMessageParams } from "../support/twilio-spec.ts";

const ACCOUNT_SID = `AC${"ab".repeat(16)}`;
const TOKEN = "stand-in-token-0001";
const OTHER_ACCOUNT_SID = `AC${"cd".repeat(16)}`;
const OTHER_TOKEN = "stand-in-token-0002";
const FROM = "+14155550199";
const TO = "+14155550100";
const SERVICE_SID = `MG${"e".repeat(32)}`;
const SMS_URL = "https://abc.execute-api.us-east-1.amazonaws.com/prod/webhooks/sms";
const DEFERRING_SERVICE_SID = `MG${"f".repeat(32)}`;
const OTHER_SERVICE_SID = `MG${"0".repeat(32)}`;

let standIn: TwilioStandIn;
let clock: Date;
let announced: StandInMessage[];
let exchanges: Exchange[];
/** Tests that send invalid input on purpose turn off the check that every create request matches the spec. */
let requestsShouldMatchSpec: boolean;

/** Every answer is kept, so each can be checked against the spec after the test. */
const recordingFetch: typeof fetch = (input, init) => recording(exchanges)(input, init);

function client(options: Partial<TwilioRestClientOptions> = {}) {
  return createTwilioRestClient({
    accountSid: ACCOUNT_SID,
    authToken: async () => TOKEN,
    baseUrl: standIn.url,
    fetch: recordingFetch,
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

beforeEach(async () => {
  clock = new Date("2024-05-01T10:00:00Z");
  announced = [];
  exchanges = [];
  requestsShouldMatchSpec = true;
  standIn = await startTwilioStandIn({
    accounts: { [ACCOUNT_SID]: TOKEN, [OTHER_ACCOUNT_SID]: OTHER_TOKEN },
    phoneNumbers: [
      { accountSid: ACCOUNT_SID, phoneNumber: FROM, smsUrl: SMS_URL },
      { accountSid: OTHER_ACCOUNT_SID, phoneNumber: "+14155550777" },
    ],
    messagingServices: [
      { accountSid: ACCOUNT_SID, sid: SERVICE_SID, friendlyName: "Agent SMS", inboundRequestUrl: SMS_URL },
      { accountSid: ACCOUNT_SID, sid: DEFERRING_SERVICE_SID, useInboundWebhookOnNumber: true },
      { accountSid: OTHER_ACCOUNT_SID, sid: OTHER_SERVICE_SID, inboundRequestUrl: SMS_URL },
    ],
    onMessage: (m) => announced.push(m),
    now: () => new Date(clock),
  });
});

afterEach(async () => {
  await standIn.close();
  for (const exchange of exchanges) {
    const problems = exchangeProblems(exchange);
    expect({ ...exchange, body: undefined, problems }).toEqual({ ...exchange, body: undefined, problems: [] });
  }
  if (requestsShouldMatchSpec) {
    for (const request of standIn.requests) expect(requestProblems(request)).toEqual([]);
  }
});

describe("sending", () => {
  it("accepts a message from an owned number, answering with the full message resource", async () => {
    const message = await client().sendMessage({
      to: TO,
      from: FROM,
      body: "Hello from the stand-in",
      mediaUrls: ["https://example.com/cat.png", "https://example.com/dog.png"],
      statusCallback: "https://example.com/status",
    });

    expect(message).toMatchObject({
      status: "queued",
      to: TO,
      from: FROM,
      body: "Hello from the stand-in",
      numSegments: "1",
      dateCreated: "Wed, 01 May 2024 10:00:00 +0000",
      errorCode: null,
    });
    expect(message.sid).toMatch(/^MM[0-9a-f]{32}$/);
    expect(standIn.messages).toEqual([
      {
        sid: message.sid,
        accountSid: ACCOUNT_SID,
        to: TO,
        from: FROM,
        messagingServiceSid: null,
        body: "Hello from the stand-in",
        mediaUrls: ["https://example.com/cat.png", "https://example.com/dog.png"],
        statusCallback: "https://example.com/status",
        dateCreated: clock,
        direction: "outbound-api",
        status: "queued",
        errorCode: null,
      },
    ]);
    expect(announced).toEqual(standIn.messages);
    expect(standIn.requests[0]?.params.MediaUrl).toEqual([
      "https://example.com/cat.png",
      "https://example.com/dog.png",
    ]);
    expect(exchanges.map((e) => e.status)).toEqual([201]);
  });

  it("answers 'accepted' with a null From when a Messaging Service picks the sender", async () => {
    const message = await client().sendMessage({ to: TO, messagingServiceSid: SERVICE_SID, body: "via service" });
    expect(message).toMatchObject({ status: "accepted", from: null });
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(standIn.messages[0]?.messagingServiceSid).toBe(SERVICE_SID);
  });

  it("counts segments roughly like Twilio (GSM-7 153 per part, UCS-2 67 per part)", async () => {
    const twilio = client();
    const segments = async (body: string) => (await twilio.sendMessage({ to: TO, from: FROM, body })).numSegments;
    expect(await segments("a".repeat(160))).toBe("1");
    expect(await segments("a".repeat(161))).toBe("2");
    expect(await segments("€".repeat(80))).toBe("1");
    expect(await segments("é".repeat(306))).toBe("2");
    expect(await segments("😀".repeat(35))).toBe("1");
    expect(await segments("😀".repeat(36))).toBe("2");
  });

  it.each([
    ["To is missing", { to: "", from: FROM, body: "x" }, 21604],
    ["From and MessagingServiceSid are missing", { to: TO, body: "x" }, 21603],
    ["Body and MediaUrl are missing", { to: TO, from: FROM }, 21602],
    ["To is not E.164", { to: "4155550100", from: FROM, body: "x" }, 21211],
    ["the body is longer than 1600 characters", { to: TO, from: FROM, body: "x".repeat(1601) }, 21617],
    ["From is not a number of the account", { to: TO, from: "+14155550777", body: "x" }, 21606],
    ["MessagingServiceSid is malformed", { to: TO, messagingServiceSid: "MG1", body: "x" }, 21701],
  ])("rejects a create where %s with Twilio's error code", async (_case, input, code) => {
    requestsShouldMatchSpec = false;
    const error = await caught(client().sendMessage(input));
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toMatchObject({ httpStatus: 400, code, kind: "terminal" });
    expect(standIn.messages).toEqual([]);
  });

  it("accepts a body of exactly 1600 characters", async () => {
    await client().sendMessage({ to: TO, from: FROM, body: "x".repeat(1600) });
    expect(standIn.messages).toHaveLength(1);
  });

  it("sends to an RCS user's rcs:+E164 address, keeping the prefix lowercase as Twilio does", async () => {
    const twilio = client();
    const sent = await twilio.sendMessage({ to: `RCS:${TO}`, from: FROM, body: "rich hello" });
    expect(sent.to).toBe(`rcs:${TO}`);
    expect(standIn.messages.map((m) => m.to)).toEqual([`rcs:${TO}`]);
    await twilio.sendMessage({ to: TO, from: FROM, body: "plain hello" });
    expect((await twilio.listMessages({ to: `rcs:${TO}` })).map((m) => m.body)).toEqual(["rich hello"]);
    expect((await twilio.listMessages({ to: `Rcs:${TO}` })).map((m) => m.body)).toEqual(["rich hello"]);
    expect((await twilio.listMessages({ to: TO })).map((m) => m.body)).toEqual(["plain hello"]);
  });

  it.each(["rcs:", "rcs:15551234567", "rcs:+0123", "sms:+14155550100"])("refuses To=%s with 21211", async (to) => {
    requestsShouldMatchSpec = false;
    const error = await caught(client().sendMessage({ to, from: FROM, body: "x" }));
    expect(error).toMatchObject({ name: "TwilioApiError", httpStatus: 400, code: 21211 });
    expect(standIn.messages).toEqual([]);
  });

  it("flags the invalid To with the spec validator too, so stand-in and spec agree", async () => {
    requestsShouldMatchSpec = false;
    await caught(client().sendMessage({ to: "not-a-number", from: FROM, body: "x" }));
    expect(validateCreateMessageParams(standIn.requests[0]?.params ?? {})).toEqual([
      '/To must match format "phone-number"',
    ]);
  });
});

describe("authentication", () => {
  it("answers a wrong token with 401 / 20003 and records nothing", async () => {
    const error = await caught(
      client({ authToken: async () => "wrong-token" }).sendMessage({ to: TO, from: FROM, body: "x" }),
    );
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toMatchObject({ httpStatus: 401, code: 20003, kind: "auth" });
    expect((error as Error).message).not.toContain("wrong-token");
    expect(standIn.messages).toEqual([]);
    expect(standIn.requests).toHaveLength(1);
  });

  it("hides one account's resources from another account's credentials (404 / 20404)", async () => {
    const error = await caught(client({ authToken: async () => OTHER_TOKEN }).fetchAccount());
    expect(error).toMatchObject({ httpStatus: 401, code: 20003 });

    const response = await recordingFetch(`${standIn.url}/2010-04-01/Accounts/${ACCOUNT_SID}.json`, {
      headers: { authorization: `Basic ${Buffer.from(`${OTHER_ACCOUNT_SID}:${OTHER_TOKEN}`).toString("base64")}` },
    });
    expect(response.status).toBe(404);
    expect(exchanges.at(-1)?.body).toMatchObject({ code: 20404, status: 404 });
  });
});

describe("reading", () => {
  it("lists messages newest first, filtered by To, From and DateSent>", async () => {
    const twilio = client();
    await twilio.sendMessage({ to: TO, from: FROM, body: "first" });
    clock = new Date("2024-05-01T10:05:00Z");
    await twilio.sendMessage({ to: "+14155550101", from: FROM, body: "other recipient" });
    clock = new Date("2024-05-01T10:10:00Z");
    await twilio.sendMessage({ to: TO, from: FROM, body: "second" });

    expect((await twilio.listMessages({ to: TO })).map((m) => m.body)).toEqual(["second", "first"]);
    expect((await twilio.listMessages({ from: FROM })).map((m) => m.body)).toEqual([
      "second",
      "other recipient",
      "first",
    ]);
    const recent = await twilio.listMessages({ to: TO, dateSentAfter: new Date("2024-05-01T10:01:00Z") });
    expect(recent.map((m) => m.body)).toEqual(["second"]);
    expect(await twilio.listMessages({ to: "+14155550999" })).toEqual([]);
  });

  it("pages lists with Twilio's envelope", async () => {
    const twilio = client();
    await twilio.sendMessage({ to: TO, from: FROM, body: "one" });
    await twilio.sendMessage({ to: TO, from: FROM, body: "two" });
    expect(await twilio.listMessages({ to: TO, pageSize: 1 })).toHaveLength(1);
    expect(exchanges.at(-1)?.body).toMatchObject({
      page: 0,
      page_size: 1,
      start: 0,
      end: 0,
      previous_page_uri: null,
      next_page_uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json?To=%2B14155550100&PageSize=1&Page=1`,
    });
  });

  it("does not list another account's messages", async () => {
    await client().sendMessage({ to: TO, from: FROM, body: "mine" });
    const other = client({ accountSid: OTHER_ACCOUNT_SID, authToken: async () => OTHER_TOKEN });
    expect(await other.listMessages({ to: TO })).toEqual([]);
  });

  it("fetches the account", async () => {
    expect(await client().fetchAccount()).toEqual({
      sid: ACCOUNT_SID,
      status: "active",
      friendlyName: "Local stand-in account",
      type: "Full",
    });
  });

  it("finds an owned incoming number with its SMS webhook, and nothing for other numbers", async () => {
    const twilio = client();
    const found = await twilio.findIncomingNumber(FROM);
    expect(found).toEqual({
      sid: expect.stringMatching(/^PN[0-9a-f]{32}$/),
      phoneNumber: FROM,
      smsUrl: SMS_URL,
      smsMethod: "POST",
      smsApplicationSid: null,
      capabilities: { sms: true, mms: true },
    });
    expect(await twilio.findIncomingNumber(FROM)).toEqual(found);
    expect(await twilio.findIncomingNumber("+14155550777")).toBeNull();
  });

  it("answers unknown routes and methods with Twilio's error JSON", async () => {
    const auth = { authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${TOKEN}`).toString("base64")}` };
    const missing = await recordingFetch(`${standIn.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`, {
      headers: auth,
    });
    expect(missing.status).toBe(404);
    expect(exchanges.at(-1)?.body).toMatchObject({ code: 20404 });
    const wrongMethod = await recordingFetch(`${standIn.url}/2010-04-01/Accounts/${ACCOUNT_SID}.json`, {
      method: "DELETE",
      headers: auth,
    });
    expect(wrongMethod.status).toBe(405);
    expect(exchanges.at(-1)?.body).toMatchObject({ code: 20004 });
  });
});

describe("Messaging v1 Services", () => {
  const basic = (sid: string, token: string) => ({
    authorization: `Basic ${Buffer.from(`${sid}:${token}`).toString("base64")}`,
  });

  it("serves a service's inbound webhook settings as a full messaging.v1.service resource", async () => {
    const twilio = client();
    expect(await twilio.fetchMessagingService(SERVICE_SID)).toEqual({
      sid: SERVICE_SID,
      friendlyName: "Agent SMS",
      inboundRequestUrl: SMS_URL,
      inboundMethod: "POST",
      useInboundWebhookOnNumber: false,
    });
    expect(await twilio.fetchMessagingService(DEFERRING_SERVICE_SID)).toEqual({
      sid: DEFERRING_SERVICE_SID,
      friendlyName: "Local stand-in service",
      inboundRequestUrl: null,
      inboundMethod: "POST",
      useInboundWebhookOnNumber: true,
    });
    expect(standIn.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /v1/Services/${SERVICE_SID}`,
      `GET /v1/Services/${DEFERRING_SERVICE_SID}`,
    ]);
    // Every body is also checked against the Messaging v1 spec (complete mode) after each test.
    expect(exchanges.map((e) => e.status)).toEqual([200, 200]);
    expect(exchanges[0]?.body).toMatchObject({
      account_sid: ACCOUNT_SID,
      inbound_request_url: SMS_URL,
      date_created: "2024-05-01T10:00:00Z",
      url: `${standIn.url}/v1/Services/${SERVICE_SID}`,
    });
  });

  it("answers a wrong token with 401 / 20003", async () => {
    const error = await caught(client({ authToken: async () => "wrong-token" }).fetchMessagingService(SERVICE_SID));
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toMatchObject({ httpStatus: 401, code: 20003, kind: "auth", operation: "fetchMessagingService" });
    expect((error as Error).message).not.toContain("wrong-token");
    const unauthenticated = await recordingFetch(`${standIn.url}/v1/Services/${SERVICE_SID}`, {});
    expect(unauthenticated.status).toBe(401);
  });

  it("answers 404 / 20404 for an unknown sid and for another account's service", async () => {
    const unknown = await caught(client().fetchMessagingService(`MG${"9".repeat(32)}`));
    expect(unknown).toMatchObject({ name: "TwilioApiError", httpStatus: 404, code: 20404, kind: "terminal" });
    const foreign = await caught(client().fetchMessagingService(OTHER_SERVICE_SID));
    expect(foreign).toMatchObject({ httpStatus: 404, code: 20404 });
    const own = client({ accountSid: OTHER_ACCOUNT_SID, authToken: async () => OTHER_TOKEN });
    expect((await own.fetchMessagingService(OTHER_SERVICE_SID)).sid).toBe(OTHER_SERVICE_SID);
  });

  it("answers other methods and paths under /v1 with Twilio's error JSON", async () => {
    const auth = basic(ACCOUNT_SID, TOKEN);
    const remove = await recordingFetch(`${standIn.url}/v1/Services/${SERVICE_SID}`, {
      method: "DELETE",
      headers: auth,
    });
    expect(remove.status).toBe(405);
    expect(exchanges.at(-1)?.body).toMatchObject({ code: 20004 });
    const nested = await recordingFetch(`${standIn.url}/v1/Services/${SERVICE_SID}/AlphaSenders`, { headers: auth });
    expect(nested.status).toBe(404);
    expect(exchanges.at(-1)?.body).toMatchObject({ code: 20404 });
  });
});

describe("faults", () => {
  it.each([
    [429, 20429, "retryable"],
    [500, 20500, "retryable"],
    [400, 21610, "opted-out"],
    [401, 20003, "auth"],
  ] as const)("an injected HTTP %i / %i surfaces as kind %s and sends nothing", async (status, code, kind) => {
    standIn.injectFault({ kind: "http", status, code });
    const error = await caught(client().sendMessage({ to: TO, from: FROM, body: "x" }));
    expect(error).toMatchObject({ name: "TwilioApiError", httpStatus: status, code, kind });
    expect(standIn.messages).toEqual([]);
  });

  it("an HTTP fault without a code gets Twilio's code for its status", async () => {
    standIn.injectFault({ kind: "http", status: 500 });
    standIn.injectFault({ kind: "http", status: 401 });
    const twilio = client();
    expect(await caught(twilio.sendMessage({ to: TO, from: FROM, body: "x" }))).toMatchObject({ code: 20500 });
    expect(await caught(twilio.sendMessage({ to: TO, from: FROM, body: "x" }))).toMatchObject({ code: 20003 });
    expect(standIn.messages).toEqual([]);
  });

  it("accept-then-drop creates the message and resets the connection: ambiguous, at once", async () => {
    standIn.injectFault({ kind: "accept-then-drop" });
    const twilio = client({ fetch: globalThis.fetch }); // no answer body to record
    const error = await caught(twilio.sendMessage({ to: TO, from: FROM, body: "dropped" }));
    expect(error).toMatchObject({ name: "TwilioTimeoutError", reason: "network" });
    expect((await twilio.listMessages({ to: TO })).map((m) => m.body)).toEqual(["dropped"]);
  });

  it("applies a fault `times` times, only to creates, then recovers", async () => {
    const twilio = client();
    standIn.injectFault({ kind: "http", status: 429, code: 20429, message: "Too Many Requests", times: 2 });
    expect(await twilio.listMessages({ to: TO })).toEqual([]);
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(await caught(twilio.sendMessage({ to: TO, from: FROM, body: "retry me" }))).toMatchObject({
        kind: "retryable",
        message: "Twilio sendMessage failed with HTTP 429 code 20429: Too Many Requests",
      });
    }
    await twilio.sendMessage({ to: TO, from: FROM, body: "retry me" });
    expect(standIn.messages.map((m) => m.body)).toEqual(["retry me"]);
  });

  it("a delayed answer times the client out ambiguously, and the accepted message can be reconciled", async () => {
    standIn.injectFault({ kind: "delay", ms: 2_000 });
    const twilio = client({ timeoutMs: 150 });
    const error = await caught(twilio.sendMessage({ to: TO, from: FROM, body: "did it go?" }));
    expect(error).toBeInstanceOf(TwilioTimeoutError);
    expect(error).toMatchObject({ kind: "ambiguous", reason: "timeout" });

    const found = await twilio.listMessages({ to: TO, dateSentAfter: new Date(clock.getTime() - 1_000) });
    expect(found.map((m) => m.body)).toEqual(["did it go?"]);
    expect(found[0]?.sid).toBe(standIn.messages[0]?.sid);

    // The fault is used up: the next create answers promptly.
    await twilio.sendMessage({ to: TO, from: FROM, body: "next" });
    expect(standIn.messages).toHaveLength(2);
  });

  it("accept-then-fail records the message but answers 5xx, so only reconciliation avoids a duplicate", async () => {
    standIn.injectFault({ kind: "accept-then-fail", status: 503 });
    const twilio = client();
    const error = await caught(twilio.sendMessage({ to: TO, from: FROM, body: "accepted anyway" }));
    expect(error).toMatchObject({ name: "TwilioApiError", httpStatus: 503, code: 20503, kind: "retryable" });
    expect(standIn.messages.map((m) => m.body)).toEqual(["accepted anyway"]);
    expect((await twilio.listMessages({ to: TO })).map((m) => m.sid)).toEqual([standIn.messages[0]?.sid]);
  });

  it("close() does not wait for a pending delayed answer", async () => {
    standIn.injectFault({ kind: "delay", ms: 60_000 });
    const pending = caught(client({ timeoutMs: 60_000 }).sendMessage({ to: TO, from: FROM, body: "x" }));
    await expect.poll(() => standIn.messages.length).toBe(1);
    const started = Date.now();
    await standIn.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(TwilioTimeoutError);
  });
});

describe("inbound MMS media", () => {
  const MESSAGE_SID = `MM${"12".repeat(16)}`;
  const MEDIA_SID = `ME${"34".repeat(16)}`;
  const GIF = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 2, 3]);
  const auth = (sid: string, token: string) => ({
    authorization: `Basic ${Buffer.from(`${sid}:${token}`).toString("base64")}`,
  });
  const onStandIn = (twilioUrl: string) => `${standIn.url}${new URL(twilioUrl).pathname}`;
  const addGif = (options: { chunked?: boolean } = {}) =>
    standIn.addMedia({
      accountSid: ACCOUNT_SID,
      messageSid: MESSAGE_SID,
      sid: MEDIA_SID,
      contentType: "image/gif",
      data: GIF,
      ...options,
    });

  it("hands out the Media URL as Twilio puts it in a webhook", () => {
    expect(addGif()).toBe(
      `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${MESSAGE_SID}/Media/${MEDIA_SID}`,
    );
  });

  it("redirects an authenticated request to storage, which serves the bytes to anyone holding its URL", async () => {
    const redirect = await fetch(onStandIn(addGif()), { headers: auth(ACCOUNT_SID, TOKEN), redirect: "manual" });
    expect(redirect.status).toBe(307);
    const location = redirect.headers.get("location") ?? "";
    expect(location).toMatch(new RegExp(`^${standIn.url}/media-storage/[0-9a-f]{32}$`));

    const stored = await fetch(location);
    expect(stored.status).toBe(200);
    expect(stored.headers.get("content-type")).toBe("image/gif");
    expect(stored.headers.get("content-length")).toBe(String(GIF.length));
    expect(new Uint8Array(await stored.arrayBuffer())).toEqual(GIF);
    expect(standIn.mediaDownloads).toEqual([{ mediaSid: MEDIA_SID, authorization: false }]);
  });

  it("records a storage request that carries an Authorization header", async () => {
    const redirect = await fetch(onStandIn(addGif()), { headers: auth(ACCOUNT_SID, TOKEN), redirect: "manual" });
    await fetch(redirect.headers.get("location") ?? "", { headers: auth(ACCOUNT_SID, TOKEN) });
    expect(standIn.mediaDownloads).toEqual([{ mediaSid: MEDIA_SID, authorization: true }]);
  });

  it("serves chunked media without a Content-Length", async () => {
    const redirect = await fetch(onStandIn(addGif({ chunked: true })), {
      headers: auth(ACCOUNT_SID, TOKEN),
      redirect: "manual",
    });
    const stored = await fetch(redirect.headers.get("location") ?? "");
    expect(stored.headers.get("content-length")).toBeNull();
    expect(stored.headers.get("transfer-encoding")).toBe("chunked");
    expect(new Uint8Array(await stored.arrayBuffer())).toEqual(GIF);
  });

  it("serves the Media resource as JSON with .json", async () => {
    const response = await recordingFetch(`${onStandIn(addGif())}.json`, { headers: auth(ACCOUNT_SID, TOKEN) });
    expect(response.status).toBe(200);
    // Checked against the spec's api.v2010.account.message.media (complete mode) after the test.
    expect(exchanges.at(-1)?.body).toEqual({
      account_sid: ACCOUNT_SID,
      content_type: "image/gif",
      date_created: "Wed, 01 May 2024 10:00:00 +0000",
      date_updated: "Wed, 01 May 2024 10:00:00 +0000",
      parent_sid: MESSAGE_SID,
      sid: MEDIA_SID,
      uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${MESSAGE_SID}/Media/${MEDIA_SID}.json`,
    });
  });

  it("answers 401 / 20003 without credentials or with a wrong token, and sends no redirect", async () => {
    const url = onStandIn(addGif());
    for (const headers of [{}, auth(ACCOUNT_SID, "wrong-token")]) {
      const response = await recordingFetch(url, { headers, redirect: "manual" });
      expect(response.status).toBe(401);
      expect(exchanges.at(-1)?.body).toMatchObject({ code: 20003 });
    }
    expect(standIn.mediaDownloads).toEqual([]);
  });

  it("answers 404 / 20404 for unknown media, another account's media and an unknown storage URL", async () => {
    const url = onStandIn(addGif());
    const unknown = url.replace(MEDIA_SID, `ME${"0".repeat(32)}`);
    for (const [target, headers] of [
      [unknown, auth(ACCOUNT_SID, TOKEN)],
      [url, auth(OTHER_ACCOUNT_SID, OTHER_TOKEN)],
      [`${standIn.url}/media-storage/${"0".repeat(32)}`, {}],
    ] as const) {
      const response = await recordingFetch(target, { headers, redirect: "manual" });
      expect(response.status).toBe(404);
      expect(exchanges.at(-1)?.body).toMatchObject({ code: 20404 });
    }
  });
});
