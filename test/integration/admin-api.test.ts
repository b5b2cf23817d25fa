import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTwilioStandIn, type TwilioStandIn } from "../../infra/local/twilio-stand-in.ts";
import type { PendingRequest } from "../../lib/access/access-state.ts";
import { pairingApprovedText } from "../../lib/access/pairing-code.ts";
import { requestReplyId } from "../../lib/access/request-reply-id.ts";
import type { AdminDeps } from "../../lib/admin/deps.ts";
import { handleAdminRequest } from "../../lib/admin/handle-admin-request.ts";
import type { RuntimeAccount, RuntimeConfig } from "../../lib/config/types.ts";
import { silentLog } from "../../lib/log/log.ts";
import { type Reply, replySchema } from "../../lib/queue/messages.ts";
import { QueuePublisher } from "../../lib/queue/publisher.ts";
import { AccessStore } from "../../lib/store/access-store.ts";
import { ConversationStore } from "../../lib/store/conversation-store.ts";
import { OptOutStore } from "../../lib/store/opt-out-store.ts";
import { StatsStore } from "../../lib/store/stats-store.ts";
import { createTwilioRestClient } from "../../lib/twilio/rest-client.ts";
import { deadLetterDepths, deadLetterQueues, type Emulators, startEmulators } from "../support/emulators.ts";
import { runtimeAccount } from "../support/runtime-account.ts";

const SID = `AC${"1a".repeat(16)}`;
const TOKEN = "integration-token-0123456789";
const STAGE = "https://abc123.execute-api.us-east-1.amazonaws.com/prod";
const OWNER = "+15557654321";
const STRANGER = "+15550001111";
const OTHER = "+15550002222";
const START = Date.UTC(2025, 0, 15, 12, 0, 0);

function account(id: string, overrides: Partial<RuntimeAccount> = {}): RuntimeAccount {
  return runtimeAccount({
    id,
    accountSid: SID,
    fromNumber: id === "default" ? "+15551234567" : "+15559990000",
    webhookPath: id === "default" ? "/webhooks/sms" : `/webhooks/sms/${id}`,
    allowFrom: [OWNER],
    ...overrides,
  });
}

const config: RuntimeConfig = {
  version: 1,
  defaultAccount: "default",
  accounts: [account("default", { defaultTo: OWNER }), account("support", { allowFrom: [] })],
};

let emulators: Emulators;
let access: AccessStore;
let nowMs: number;
let standIn: TwilioStandIn | undefined;
let twilioBaseUrl = "http://127.0.0.1:9";
let twilioToken = TOKEN;
let ids: number;

function deps(overrides: Partial<AdminDeps> = {}): AdminDeps {
  return {
    config,
    access,
    queues: new QueuePublisher(emulators.sqs, {
      turns: emulators.queueUrls.turns,
      replies: emulators.queueUrls.replies,
    }),
    optOuts: new OptOutStore(emulators.dynamo, emulators.tableName),
    stats: new StatsStore(emulators.dynamo, emulators.tableName),
    conversations: new ConversationStore(emulators.dynamo, emulators.tableName),
    deadLetters: () => deadLetterDepths(emulators),
    deadLetterQueues: deadLetterQueues(emulators),
    twilioFor: (acc) => ({
      client: createTwilioRestClient({
        accountSid: acc.accountSid,
        authToken: async () => twilioToken,
        baseUrl: twilioBaseUrl,
      }),
    }),
    stageBaseUrl: STAGE,
    now: () => nowMs,
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, "0")}`,
    log: silentLog,
    ...overrides,
  };
}

interface Answer {
  status: number;
  json: Record<string, unknown>;
}

async function call(method: string, path: string, body?: unknown, query = "", extra?: Partial<AdminDeps>) {
  const result = await handleAdminRequest(
    {
      rawPath: path,
      rawQueryString: query,
      body: body === undefined ? undefined : JSON.stringify(body),
      isBase64Encoded: false,
      requestContext: { http: { method } },
    },
    deps(extra),
  );
  return { status: result.statusCode ?? 0, json: JSON.parse(result.body ?? "{}") } as Answer;
}

function errorOf(answer: Answer): { code: string; message: string } {
  return answer.json.error as { code: string; message: string };
}

async function seedPairing(accountId: string, phone: string, code: string): Promise<void> {
  const request: PendingRequest = { phone, code, createdAt: nowMs };
  const seen = await access.read(accountId, nowMs);
  expect(await access.addPairingRequest(accountId, request, seen, nowMs)).toBe(true);
}

async function queuedReplies(): Promise<Reply[]> {
  const out: Reply[] = [];
  for (;;) {
    const { Messages = [] } = await emulators.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: emulators.queueUrls.replies, MaxNumberOfMessages: 10 }),
    );
    if (Messages.length === 0) return out;
    for (const message of Messages) {
      out.push(replySchema.parse(JSON.parse(message.Body ?? "")));
      // FIFO: a group's next message is only handed out once this one is deleted.
      await emulators.sqs.send(
        new DeleteMessageCommand({ QueueUrl: emulators.queueUrls.replies, ReceiptHandle: message.ReceiptHandle }),
      );
    }
  }
}

beforeEach(async () => {
  emulators = await startEmulators();
  access = new AccessStore(emulators.dynamo, emulators.tableName);
  nowMs = START;
  ids = 0;
  twilioToken = TOKEN;
});

afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
  await emulators.stop();
});

describe("pairing", () => {
  it("lists only live requests, with their expiry", async () => {
    await seedPairing("default", STRANGER, "ABCD2345");
    nowMs += 61 * 60_000;
    await seedPairing("default", OTHER, "WXYZ6789");

    const answer = await call("GET", "/pairing");
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      account: "default",
      requests: [
        {
          code: "WXYZ6789",
          phone: OTHER,
          createdAt: new Date(nowMs).toISOString(),
          expiresAt: new Date(nowMs + 3_600_000).toISOString(),
        },
      ],
    });
  });

  it("approves a code case-insensitively and queues one confirmation SMS", async () => {
    await seedPairing("default", STRANGER, "ABCD2345");
    nowMs += 5 * 60_000;

    const answer = await call("POST", "/pairing/approve", { code: " abcd2345 " });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ account: "default", code: "ABCD2345", phone: STRANGER });

    const state = await access.read("default", nowMs);
    expect(state.approved.get(STRANGER)).toEqual({ at: nowMs, via: "pairing" });
    expect(state.pending).toEqual([]);
    expect(await queuedReplies()).toEqual([
      {
        version: 1,
        replyId: requestReplyId("pairing-approved", "default", { phone: STRANGER, createdAt: START }),
        account: "default",
        to: STRANGER,
        text: pairingApprovedText(),
        kind: "system",
      },
    ]);
  });

  it("answers 410 for an expired code and leaves the sender unapproved", async () => {
    await seedPairing("default", STRANGER, "ABCD2345");
    nowMs += 61 * 60_000;

    const answer = await call("POST", "/pairing/approve", { code: "ABCD2345" });
    expect(answer.status).toBe(410);
    expect(errorOf(answer).code).toBe("pairing_code_expired");
    expect(errorOf(answer).message).toMatch(/^code: pairing code ABCD2345 expired at .*text the number again/);
    expect((await access.read("default", nowMs)).approved.size).toBe(0);
    expect(await queuedReplies()).toEqual([]);
  });

  it("answers 404 for an unknown code", async () => {
    await seedPairing("default", STRANGER, "ABCD2345");
    const answer = await call("POST", "/pairing/approve", { code: "ZZZZ2222" });
    expect(answer.status).toBe(404);
    expect(errorOf(answer)).toMatchObject({ code: "pairing_code_not_found" });
    expect(errorOf(answer).message).toContain("ZZZZ2222");
  });

  it("denies silently: the request goes, nobody is approved, no SMS", async () => {
    await seedPairing("default", STRANGER, "ABCD2345");
    const answer = await call("POST", "/pairing/deny", { code: "abcd2345" });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ account: "default", phone: STRANGER });
    const state = await access.read("default", nowMs);
    expect(state.pending).toEqual([]);
    expect(state.approved.size).toBe(0);
    expect(await queuedReplies()).toEqual([]);
    expect((await call("POST", "/pairing/deny", { code: "ABCD2345" })).status).toBe(404);
  });

  it("keeps accounts apart: a code of one account is unknown in another, and approval grants nothing there", async () => {
    await seedPairing("support", STRANGER, "ABCD2345");
    expect((await call("POST", "/pairing/approve", { code: "ABCD2345" })).status).toBe(404);

    const approved = await call("POST", "/pairing/approve", { code: "ABCD2345", account: "support" });
    expect(approved.status).toBe(200);
    expect((await access.read("support", nowMs)).approved.has(STRANGER)).toBe(true);
    expect((await access.read("default", nowMs)).approved.has(STRANGER)).toBe(false);
    const defaultList = await call("GET", "/allow");
    expect(defaultList.json.approved).toEqual([]);
    expect((await queuedReplies()).map((reply) => reply.account)).toEqual(["support"]);
  });

  it("answers 404 naming an unknown account", async () => {
    const answer = await call("GET", "/pairing", undefined, "account=nope");
    expect(answer.status).toBe(404);
    expect(errorOf(answer)).toEqual({
      code: "account_not_found",
      message: 'account: no SMS account "nope" (configured: default, support)',
      field: "account",
    });
  });
});

describe("allowlist", () => {
  it("adds, lists and removes runtime approvals", async () => {
    const added = await call("POST", "/allow/add", { phone: "twilio-sms:+15550001111" });
    expect(added.status).toBe(200);
    expect(added.json).toMatchObject({ phone: STRANGER, alreadyApproved: false, allowedByConfig: false });
    const again = await call("POST", "/allow/add", { phone: `sms:${STRANGER}` });
    expect(again.json).toMatchObject({ alreadyApproved: true });

    const list = await call("GET", "/allow");
    expect(list.json).toEqual({
      account: "default",
      policy: "pairing",
      allowFrom: [OWNER],
      approved: [{ phone: STRANGER, at: new Date(START).toISOString(), via: "admin" }],
    });

    const removed = await call("POST", "/allow/remove", { phone: STRANGER });
    expect(removed.status).toBe(200);
    expect(removed.json).toMatchObject({ removed: true, stillAllowedByConfig: false });
    expect((await access.read("default", nowMs)).approved.size).toBe(0);
    expect((await call("POST", "/allow/remove", { phone: STRANGER })).status).toBe(404);
  });

  it("adding a number with a pending pairing request approves it and clears the request", async () => {
    await seedPairing("default", STRANGER, "ABCD2345");
    expect((await call("POST", "/allow/add", { phone: STRANGER })).status).toBe(200);
    const state = await access.read("default", nowMs);
    expect(state.pending).toEqual([]);
    expect(state.approved.get(STRANGER)?.via).toBe("admin");
  });

  it("refuses with 409 to remove a number that only the config allows", async () => {
    const answer = await call("POST", "/allow/remove", { phone: OWNER });
    expect(answer.status).toBe(409);
    expect(errorOf(answer).message).toContain("edit allowFrom");
  });

  it("rejects a malformed number naming the field", async () => {
    const answer = await call("POST", "/allow/add", { phone: "5551234" });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).message).toMatch(/^phone: expected an E\.164 number/);
  });
});

describe("message send", () => {
  it("queues a system reply to an explicit target", async () => {
    const answer = await call("POST", "/messages", { target: "sms:+15550001111", message: "hello" });
    expect(answer.status).toBe(202);
    expect(answer.json).toEqual({
      account: "default",
      replyId: "admin:00000000-0000-4000-8000-000000000001",
      to: STRANGER,
    });
    expect(await queuedReplies()).toEqual([
      {
        version: 1,
        replyId: "admin:00000000-0000-4000-8000-000000000001",
        account: "default",
        to: STRANGER,
        text: "hello",
        kind: "system",
      },
    ]);
  });

  it("uses defaultTo when no target is given", async () => {
    const answer = await call("POST", "/messages", { message: "to the owner" });
    expect(answer.status).toBe(202);
    expect(answer.json.to).toBe(OWNER);
    expect((await queuedReplies()).map((reply) => reply.to)).toEqual([OWNER]);
  });

  it("answers 400 naming target when there is neither a target nor a defaultTo", async () => {
    const answer = await call("POST", "/messages", { message: "hi", account: "support" });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).message).toMatch(/^target: required/);
    expect(await queuedReplies()).toEqual([]);
  });

  it("refuses a recipient who texted STOP", async () => {
    await new OptOutStore(emulators.dynamo, emulators.tableName).optOut("default", STRANGER, nowMs);
    const answer = await call("POST", "/messages", { target: STRANGER, message: "hi" });
    expect(answer.status).toBe(409);
    expect(errorOf(answer).code).toBe("recipient_opted_out");
  });
});

describe("status and capabilities", () => {
  it("describes the channel statically", async () => {
    const answer = await call("GET", "/capabilities");
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      channel: "sms",
      provider: "twilio",
      text: true,
      media: { inbound: true, outbound: true, maxPerMessage: 10 },
      maxBodyChars: 1600,
      policies: ["pairing", "allowlist", "open", "disabled"],
      targets: ["sms:+E164", "twilio-sms:+E164", "+E164"],
      accounts: ["default", "support"],
    });
  });

  it("reports each account, today's drops and the DLQs without calling Twilio", async () => {
    await seedPairing("default", STRANGER, "ABCD2345");
    await call("POST", "/allow/add", { phone: OTHER });
    const stats = new StatsStore(emulators.dynamo, emulators.tableName);
    await stats.countDrop("default", "rate-limit-sender", nowMs);
    await stats.countDrop("default", "rate-limit-sender", nowMs);
    await emulators.sqs.send(
      new SendMessageCommand({
        QueueUrl: emulators.queueUrls.repliesDlq,
        MessageBody: "{}",
        MessageGroupId: "g",
        MessageDeduplicationId: "status-test",
      }),
    );
    const answer = await call("GET", "/status");
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      defaultAccount: "default",
      deadLetters: { turns: 0, replies: 1 },
      accounts: [
        {
          id: "default",
          default: true,
          enabled: true,
          dmPolicy: "pairing",
          sender: { fromNumber: "+15551234567" },
          webhookUrl: `${STAGE}/webhooks/sms`,
          signatureValidation: true,
          allowFrom: 1,
          pending: 1,
          approved: 1,
          optedOut: 0,
          droppedToday: { "rate-limit-sender": 2 },
        },
        {
          id: "support",
          default: false,
          enabled: true,
          dmPolicy: "pairing",
          sender: { fromNumber: "+15559990000" },
          webhookUrl: `${STAGE}/webhooks/sms/support`,
          signatureValidation: true,
          allowFrom: 0,
          pending: 0,
          approved: 0,
          optedOut: 0,
          droppedToday: {},
        },
      ],
    });
  });

  it("probes Twilio: account, number, webhook URL and method, without leaking the token", async () => {
    standIn = await startTwilioStandIn({
      accounts: { [SID]: TOKEN },
      phoneNumbers: [
        // Connection overrides in the fragment (Twilio strips them before calling) still match.
        { accountSid: SID, phoneNumber: "+15551234567", smsUrl: `${STAGE}/webhooks/sms#rp=5xx,ct,rt&rc=3` },
        { accountSid: SID, phoneNumber: "+15559990000", smsUrl: "https://old.example.com/sms" },
      ],
    });
    twilioBaseUrl = standIn.url;

    const answer = await call("GET", "/status", undefined, "probe=1");
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.json)).not.toContain(TOKEN);
    const [main, support] = answer.json.accounts as Array<{
      probe: { ok: boolean; checks: Array<{ name: string; ok: boolean; detail: string }> };
    }>;
    expect(main?.probe.checks.map((check) => [check.name, check.ok])).toEqual([
      ["signature-validation", true],
      ["webhook-public", true],
      ["credentials", true],
      ["sender-number", true],
      ["webhook-url", true],
      ["webhook-method", true],
      ["recent-inbound", true],
      ["recent-outbound", true],
    ]);
    expect(main?.probe.ok).toBe(true);
    const url = support?.probe.checks.find((check) => check.name === "webhook-url");
    expect(url).toMatchObject({ ok: false });
    expect(url?.detail).toContain("https://old.example.com/sms");
    expect(url?.detail).toContain(`${STAGE}/webhooks/sms/support`);
    expect(answer.json.ok).toBe(false);
  });

  it("probes a Messaging Service sender: its inbound webhook URL and method", async () => {
    const matching = `MG${"3c".repeat(16)}`;
    const stale = `MG${"4d".repeat(16)}`;
    standIn = await startTwilioStandIn({
      accounts: { [SID]: TOKEN },
      messagingServices: [
        { accountSid: SID, sid: matching, friendlyName: "Agent SMS", inboundRequestUrl: `${STAGE}/webhooks/sms` },
        { accountSid: SID, sid: stale, friendlyName: "Support SMS", inboundRequestUrl: "https://old.example.com/sms" },
      ],
    });
    twilioBaseUrl = standIn.url;
    const viaService = (id: string, messagingServiceSid: string) => {
      const { fromNumber: _number, ...rest } = account(id, { messagingServiceSid });
      return rest;
    };
    const serviceConfig: RuntimeConfig = {
      ...config,
      accounts: [viaService("default", matching), viaService("support", stale)],
    };

    const answer = await call("GET", "/status", undefined, "probe=1", { config: serviceConfig });
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.json)).not.toContain(TOKEN);
    const [main, support] = answer.json.accounts as Array<{
      sender: unknown;
      probe: { ok: boolean; checks: Array<{ name: string; ok: boolean; detail: string; skipped?: boolean }> };
    }>;
    expect(main?.sender).toEqual({ messagingServiceSid: matching });
    expect(main?.probe.checks.map((check) => [check.name, check.ok, check.skipped ?? false])).toEqual([
      ["signature-validation", true, false],
      ["webhook-public", true, false],
      ["credentials", true, false],
      ["messaging-service", true, false],
      ["webhook-url", true, false],
      ["webhook-method", true, false],
      ["recent-inbound", true, false],
      ["recent-outbound", true, false],
    ]);
    expect(main?.probe.ok).toBe(true);

    expect(support?.probe.ok).toBe(false);
    const url = support?.probe.checks.find((check) => check.name === "webhook-url");
    expect(url).toMatchObject({ ok: false });
    expect(url?.detail).toContain("https://old.example.com/sms");
    expect(url?.detail).toContain(`expected exactly ${STAGE}/webhooks/sms/support`);
    expect(url?.detail).toContain("Messaging > Services > Support SMS > Integration");
    expect(answer.json.ok).toBe(false);
    expect(standIn.requests.map((request) => request.path)).toEqual(
      expect.arrayContaining([`/v1/Services/${matching}`, `/v1/Services/${stale}`]),
    );
  });

  it("reports rejected credentials as a failed check", async () => {
    standIn = await startTwilioStandIn({ accounts: { [SID]: TOKEN } });
    twilioBaseUrl = standIn.url;
    twilioToken = "wrong-token-0000000000";

    const answer = await call("GET", "/status", undefined, "probe=1&account=default");
    expect(answer.status).toBe(200);
    const [main] = answer.json.accounts as Array<{
      probe: { checks: Array<{ name: string; ok: boolean; detail: string }> };
    }>;
    const credentials = main?.probe.checks.find((check) => check.name === "credentials");
    expect(credentials).toMatchObject({ ok: false });
    expect(credentials?.detail).toContain("HTTP 401");
    expect(JSON.stringify(answer.json)).not.toContain("wrong-token-0000000000");
  });
});
