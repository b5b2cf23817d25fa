import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminDeps } from "../../lib/admin/deps.ts";
import { handleAdminRequest } from "../../lib/admin/handle-admin-request.ts";
import { echoReply } from "../../lib/agent/echo-agent.ts";
import { silentLog } from "../../lib/log/log.ts";
import { ConversationStore } from "../../lib/store/conversation-store.ts";
import { renderSmsBodies } from "../../lib/text/index.ts";
import { createTwilioRestClient } from "../../lib/twilio/rest-client.ts";
import { deadLetterDepths, deadLetterQueues } from "../support/emulators.ts";
import { type Harness, inboundSms, STAGE_URL, startHarness } from "../support/flow-harness.ts";
import { UNICODE_SAMPLES } from "../support/unicode-samples.ts";

const SID = `AC${"5".repeat(32)}`;
const TOKEN = "unicode-token";
const OWNER = "+15557654321";

/** Text as a form post can carry it: a lone surrogate has no UTF-8 form and arrives as U+FFFD, on Twilio too. */
const asPosted = (text: string) =>
  text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");

describe("any Unicode a person can type crosses every queue writer, both ways", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      accountSid: SID,
      authToken: TOKEN,
      fromNumber: "+15551234567",
      dmPolicy: "allowlist",
      allowFrom: [OWNER],
    });
  });
  afterAll(() => h.stop());

  for (const [kind, text] of Object.entries(UNICODE_SAMPLES)) {
    it(`${kind}: the webhook queues the turn (200), the agent's reply reaches Twilio`, async () => {
      const response = await h.webhook(inboundSms(h.account(), OWNER, text));
      expect(response.statusCode).toBe(200);
      const [turn, ...more] = await h.receiveTurns();
      expect(more).toEqual([]);
      expect(turn?.text).toBe(asPosted(text));
      if (!turn) return;

      // The echo agent's writer, then the outbound sender; the reply quotes the raw text, lone surrogates included.
      const reply = { ...echoReply(turn), text };
      await h.inboundDeps.queues.sendReply(reply);
      const before = h.twilio.messages.length;
      const [outcome] = await h.deliverReplies();
      expect(outcome?.kind).toBe("sent");
      const sent = h.twilio.messages.slice(before).map((message) => message.body);
      expect(sent).toEqual(renderSmsBodies(text).map(asPosted));
    });
  }

  it("emoji and every script arrive at Twilio exactly as the agent wrote them", async () => {
    const faithful = ["emoji", "thumbsUp", "zwjFamily", "flag", "skinTone", "mathLetters", "cjkExtensionB"];
    for (const kind of faithful) {
      const text = UNICODE_SAMPLES[kind] ?? "";
      expect(renderSmsBodies(text)).toEqual([text]);
    }
  });

  it("an operator's message send with an emoji is queued and sent (admin API)", async () => {
    const deps: AdminDeps = {
      config: h.runtime,
      access: h.inboundDeps.access,
      queues: h.inboundDeps.queues,
      optOuts: h.inboundDeps.optOuts,
      stats: h.inboundDeps.stats,
      conversations: new ConversationStore(h.aws.dynamo, h.aws.tableName),
      deadLetters: () => deadLetterDepths(h.aws),
      deadLetterQueues: deadLetterQueues(h.aws),
      twilioFor: (account) => ({
        client: createTwilioRestClient({
          accountSid: account.accountSid,
          authToken: async () => TOKEN,
          baseUrl: h.twilio.url,
        }),
      }),
      stageBaseUrl: STAGE_URL,
      now: () => h.clock.now,
      newId: () => "00000000-0000-4000-8000-000000000001",
      log: silentLog,
    };
    const result = await handleAdminRequest(
      {
        rawPath: "/messages",
        rawQueryString: "",
        body: JSON.stringify({ target: `sms:${OWNER}`, message: "thanks 👍 \uFFFF" }),
        isBase64Encoded: false,
        requestContext: { http: { method: "POST" } },
      },
      deps,
    );
    expect(result.statusCode).toBe(202);
    const before = h.twilio.messages.length;
    expect((await h.deliverReplies()).map((outcome) => outcome.kind)).toEqual(["sent"]);
    expect(h.twilio.messages.slice(before).map((message) => message.body)).toEqual(["thanks 👍 \uFFFF"]);
  });
});
