import { describe, expect, it } from "vitest";
import { type AccessState, emptyAccessState } from "../../../lib/access/access-state.ts";
import { requestReplyId } from "../../../lib/access/request-reply-id.ts";
import type { DeadLetterPort } from "../../../lib/admin/dead-letters.ts";
import type { AdminDeps } from "../../../lib/admin/deps.ts";
import { handleAdminRequest } from "../../../lib/admin/handle-admin-request.ts";
import type { AdminEvent } from "../../../lib/admin/http-event.ts";
import { emptyConversation } from "../../../lib/agent/conversation.ts";
import type { RuntimeConfig } from "../../../lib/config/types.ts";
import type { Log } from "../../../lib/log/log.ts";
import type { Reply } from "../../../lib/queue/messages.ts";
import { TwilioApiError } from "../../../lib/twilio/api-errors.ts";
import type { TwilioRestClient } from "../../../lib/twilio/rest-client.ts";
import { runtimeAccount } from "../../support/runtime-account.ts";
import { twilioClientWith } from "../../support/twilio-client-fake.ts";

const NOW = Date.UTC(2025, 5, 1, 9, 0, 0);
const SENDER = "+15550001111";

const account = runtimeAccount({
  accountSid: `AC${"0".repeat(32)}`,
  fromNumber: undefined,
  messagingServiceSid: `MG${"0".repeat(32)}`,
});
const config: RuntimeConfig = { version: 1, defaultAccount: "default", accounts: [account] };

function stateWithPending(version: number): AccessState {
  const state = emptyAccessState();
  state.pending.push({ phone: SENDER, code: "ABCD2345", createdAt: NOW - 60_000 });
  state.pendingVersion = version;
  return state;
}

function fakes(options: { approveResults?: boolean[]; read?: () => Promise<AccessState>; client?: TwilioRestClient }) {
  const results = [...(options.approveResults ?? [true])];
  const replies: Reply[] = [];
  const errors: unknown[] = [];
  const calls = { approve: 0 };
  const log: Log = { debug() {}, info() {}, warn() {}, error: (_message, ...extra) => errors.push(...extra) };
  let version = 0;
  const deps: AdminDeps = {
    config,
    access: {
      read: options.read ?? (async () => stateWithPending(++version)),
      approve: async () => {
        calls.approve++;
        return results.shift() ?? false;
      },
      removePending: async () => true,
      revoke: async () => false,
    },
    queues: { sendReply: async (reply) => void replies.push(reply) },
    optOuts: { isOptedOut: async () => false, count: async () => 0 },
    stats: { droppedToday: async () => ({}) },
    conversations: { read: async () => emptyConversation(), save: async () => true },
    deadLetters: async () => ({ turns: 0, replies: 0 }),
    deadLetterQueues: { turns: emptyDeadLetters, replies: emptyDeadLetters },
    twilioFor: () => ({ client: options.client ?? twilioClientWith() }),
    stageBaseUrl: "https://api.example.com/prod",
    now: () => NOW,
    newId: () => "id-1",
    log,
  };
  return { deps, replies, errors, calls };
}

const emptyDeadLetters: DeadLetterPort = {
  depth: async () => 0,
  hold: async () => [],
  release: async () => {},
  redrive: async () => {},
  remove: async () => {},
};

function event(method: string, rawPath: string, body?: string, extra: Partial<AdminEvent> = {}): AdminEvent {
  return { rawPath, rawQueryString: "", body, isBase64Encoded: false, requestContext: { http: { method } }, ...extra };
}

async function send(deps: AdminDeps, request: AdminEvent) {
  const result = await handleAdminRequest(request, deps);
  return { status: result.statusCode, headers: result.headers ?? {}, json: JSON.parse(result.body ?? "null") };
}

describe("handleAdminRequest", () => {
  it("answers 404 for an unknown route and 405 with Allow for a wrong method", async () => {
    const { deps } = fakes({});
    expect(await send(deps, event("GET", "/nowhere"))).toMatchObject({
      status: 404,
      json: { error: { code: "route_not_found" } },
    });
    const wrong = await send(deps, event("DELETE", "/allow/add"));
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe("POST");
    expect(wrong.json.error.message).toBe("/allow/add expects POST, not DELETE");
  });

  it("answers 400 for a body that is not JSON, and reads base64 bodies", async () => {
    const { deps, replies } = fakes({});
    const bad = await send(deps, event("POST", "/pairing/approve", "{code:"));
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("invalid_json");
    expect(bad.json.error.message).toMatch(/^request body: not valid JSON/);

    const encoded = Buffer.from(JSON.stringify({ code: "abcd2345" })).toString("base64");
    const ok = await send(deps, event("POST", "/pairing/approve", encoded, { isBase64Encoded: true }));
    expect(ok.status).toBe(200);
    expect(replies).toHaveLength(1);
  });

  it("retries an approve that lost a race, then gives up with 409", async () => {
    const lucky = fakes({ approveResults: [false, false, true] });
    const answer = await send(lucky.deps, event("POST", "/pairing/approve", JSON.stringify({ code: "ABCD2345" })));
    expect(answer.status).toBe(200);
    expect(lucky.calls.approve).toBe(3);
    expect(lucky.replies.map((reply) => reply.replyId)).toEqual([
      requestReplyId("pairing-approved", "default", { phone: "+15550001111", createdAt: NOW - 60_000 }),
    ]);

    const unlucky = fakes({ approveResults: [] });
    const refused = await send(unlucky.deps, event("POST", "/pairing/approve", JSON.stringify({ code: "ABCD2345" })));
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe("concurrent_change");
    expect(unlucky.calls.approve).toBe(5);
    expect(unlucky.replies).toEqual([]);
  });

  it("reports an approval whose confirmation SMS could not be queued as done, saying so", async () => {
    const { deps, errors } = fakes({});
    deps.queues = {
      sendReply: async () => {
        throw new Error("SQS unavailable");
      },
    };
    const answer = await send(deps, event("POST", "/pairing/approve", JSON.stringify({ code: "ABCD2345" })));
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ phone: SENDER, confirmationQueued: false });
    expect(errors).toHaveLength(1);
  });

  it("hides unexpected failures behind a 500 and logs them", async () => {
    const broken = fakes({
      read: async () => {
        throw new Error("ResourceNotFoundException: table arn:aws:dynamodb:eu-west-1:123456789012:table/x");
      },
    });
    const answer = await send(broken.deps, event("GET", "/pairing"));
    expect(answer.status).toBe(500);
    expect(answer.json).toEqual({
      error: { code: "internal_error", message: "the admin function failed; see its log for details" },
    });
    expect(JSON.stringify(answer.json)).not.toContain("arn:aws");
    expect(broken.errors).toHaveLength(1);
  });

  it("does not call Twilio without probe", async () => {
    const { deps } = fakes({ read: async () => emptyAccessState() });
    const answer = await send(deps, event("GET", "/status"));
    expect(answer.status).toBe(200);
    expect(answer.json.accounts[0]).toMatchObject({
      sender: { messagingServiceSid: account.messagingServiceSid },
      webhookUrl: "https://api.example.com/prod/webhooks/sms",
    });
    expect(answer.json.accounts[0].probe).toBeUndefined();
    expect(answer.json.ok).toBeUndefined();
  });

  it("probes a Messaging Service sender: the service's inbound request URL and method are checked", async () => {
    const client: TwilioRestClient = {
      ...twilioClientWith(),
      fetchAccount: async () => ({ sid: account.accountSid, status: "active", friendlyName: "Main", type: "Trial" }),
      fetchMessagingService: async (sid) => ({
        sid,
        friendlyName: "Agent SMS",
        inboundRequestUrl: "https://api.example.com/prod/webhooks/sms",
        inboundMethod: "POST",
        useInboundWebhookOnNumber: false,
      }),
      listMessages: async () => [],
    };
    const { deps } = fakes({ read: async () => emptyAccessState(), client });
    const answer = await send(deps, { ...event("GET", "/status"), rawQueryString: "probe=true" });
    const checks = answer.json.accounts[0].probe.checks;
    expect(checks.find((check: { name: string }) => check.name === "credentials").detail).toContain(
      "trial accounts can only text verified numbers",
    );
    expect(checks.slice(-5).map((check: { name: string; ok: boolean }) => [check.name, check.ok])).toEqual([
      ["messaging-service", true],
      ["webhook-url", true],
      ["webhook-method", true],
      ["recent-inbound", true],
      ["recent-outbound", true],
    ]);
    expect(answer.json.ok).toBe(true);
  });

  it("reports a Twilio auth failure as a failed check and stops probing", async () => {
    const client: TwilioRestClient = {
      ...twilioClientWith(),
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
    const { deps } = fakes({ read: async () => emptyAccessState(), client });
    const answer = await send(deps, { ...event("GET", "/status"), rawQueryString: "probe=1" });
    const checks = answer.json.accounts[0].probe.checks;
    expect(checks.at(-1)).toEqual({
      name: "credentials",
      ok: false,
      detail: "Twilio fetchAccount failed with HTTP 401 code 20003: Authenticate: check accountSid and the auth token",
    });
    expect(answer.json.ok).toBe(false);
  });
});
