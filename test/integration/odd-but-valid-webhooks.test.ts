import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { echoReply } from "../../lib/agent/echo-agent.ts";
import { MAX_TURN_TEXT } from "../../lib/queue/messages.ts";
import { type Harness, inboundSms, startHarness } from "../support/flow-harness.ts";

const SID = `AC${"9".repeat(32)}`;
const TOKEN = "odd-token";
const OWNER = "+15557654321";
const SERVICE = `MG${"9".repeat(32)}`;
/** The MediaUrl Twilio sends for media `index` of message `messageSid`. */
const mediaUrl = (messageSid: string, index: number) =>
  `https://api.twilio.com/2010-04-01/Accounts/${SID}/Messages/${messageSid}/Media/ME${String(index).padStart(32, "0")}`;

/** What Twilio sends, and the seed accepts, that is unusual but valid: none of it may lose the message. */
describe("odd but valid webhooks", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      accountSid: SID,
      authToken: TOKEN,
      fromNumber: "+15551234567",
      dmPolicy: "allowlist",
      allowFrom: [OWNER],
      accounts: { rich: { messagingServiceSid: SERVICE, webhookPath: "/webhooks/sms/rich" } },
    });
  });
  afterAll(() => h.stop());
  beforeEach(async () => {
    await h.receiveTurns();
  });

  async function onlyTurn() {
    const turns = await h.receiveTurns();
    expect(turns).toHaveLength(1);
    return turns[0];
  }

  describe("RCS senders", () => {
    it.each(["rcs:", "RCS:", "Rcs:"])("From=%s+E164 becomes an RCS turn of the allowed number", async (prefix) => {
      const form = inboundSms(h.account(), `${prefix}${OWNER}`, "hi over RCS", { To: "rcs:acme_support_agent" });
      expect((await h.webhook(form)).statusCode).toBe(200);
      expect(await onlyTurn()).toMatchObject({ channel: "rcs", from: `rcs:${OWNER}`, to: "rcs:acme_support_agent" });
    });

    it("the answer goes back over RCS through the Messaging Service, to the rcs: address", async () => {
      await h.webhook(inboundSms(h.account("rich"), `rcs:${OWNER}`, "ping"), { account: "rich" });
      const turn = await onlyTurn();
      if (!turn) return;
      await h.inboundDeps.queues.sendReply(echoReply(turn));
      expect((await h.deliverReplies()).map((outcome) => outcome.kind)).toEqual(["sent"]);
      expect(h.twilio.messages.at(-1)).toMatchObject({
        to: `rcs:${OWNER}`,
        from: null,
        messagingServiceSid: SERVICE,
        body: 'You said: "ping"',
      });
    });

    it("an account with only a phone number answers the same person by SMS", async () => {
      await h.webhook(inboundSms(h.account(), `rcs:${OWNER}`, "ping"));
      const turn = await onlyTurn();
      if (!turn) return;
      await h.inboundDeps.queues.sendReply(echoReply(turn));
      expect((await h.deliverReplies()).map((outcome) => outcome.kind)).toEqual(["sent"]);
      expect(h.twilio.messages.at(-1)).toMatchObject({ to: OWNER, from: "+15551234567" });
    });

    it("STOP over RCS opts the number out: no reply reaches it on either channel", async () => {
      await h.webhook(inboundSms(h.account(), `rcs:${OWNER}`, "STOP"));
      expect(await h.inboundDeps.optOuts.isOptedOut("default", OWNER)).toBe(true);
      await h.inboundDeps.queues.sendReply({
        version: 1,
        replyId: "odd-rcs-stop",
        account: "default",
        to: `rcs:${OWNER}`,
        text: "x",
      });
      expect((await h.deliverReplies()).map((outcome) => outcome.kind)).toEqual(["refused"]);
      await h.webhook(inboundSms(h.account(), `rcs:${OWNER}`, "START"));
    });
  });

  it("a message webhook carrying only SmsMessageSid", async () => {
    const { MessageSid, SmsSid: _s, ...form } = inboundSms(h.account(), OWNER, "legacy sid");
    expect((await h.webhook(form)).statusCode).toBe(200);
    expect(await onlyTurn()).toMatchObject({ messageSid: MessageSid, text: "legacy sid" });
  });

  it("a legacy delivery callback with only SmsSid and SmsStatus is recorded", async () => {
    const messageSid = `SM${"c".repeat(32)}`;
    const response = await h.webhook({
      SmsSid: messageSid,
      SmsStatus: "delivered",
      AccountSid: SID,
      ApiVersion: "2010-04-01",
    });
    expect(response.statusCode).toBe(200);
    expect(await h.inboundDeps.statuses.read(messageSid)).toMatchObject({ status: "delivered" });
  });

  describe("MMS media never costs the message", () => {
    /** An MMS form whose media parameters `extra(sid)` builds from the message's own sid. */
    async function mms(extra: (sid: string) => Record<string, string>) {
      const form = inboundSms(h.account(), OWNER, "see pics");
      expect((await h.webhook({ ...form, ...extra(form.MessageSid) })).statusCode).toBe(200);
      const turn = await onlyTurn();
      expect(turn?.text).toBe("see pics");
      return { turn, sid: form.MessageSid };
    }
    const items = (sid: string, indexes: number[]) =>
      Object.fromEntries(
        indexes.flatMap((index) => [
          [`MediaUrl${index}`, mediaUrl(sid, index)],
          [`MediaContentType${index}`, "image/jpeg"],
        ]),
      );

    it("more than 10 media: the first 10 are kept and the turn says how many were left out", async () => {
      const all = Array.from({ length: 12 }, (_, index) => index);
      const { turn, sid } = await mms((messageSid) => ({ NumMedia: "12", ...items(messageSid, all) }));
      expect(turn?.media.map((item) => item.url)).toEqual(all.slice(0, 10).map((index) => mediaUrl(sid, index)));
      expect(turn?.mediaOmitted).toBe(2);
    });

    it.each([
      ["a missing MediaUrlN", (sid: string) => ({ NumMedia: "3", ...items(sid, [0, 2]) }), [0, 2], 1],
      ["more announced than sent", (sid: string) => ({ NumMedia: "5", ...items(sid, [0, 1]) }), [0, 1], 3],
      ["fewer announced than sent", (sid: string) => ({ NumMedia: "1", ...items(sid, [0, 1]) }), [0, 1], 0],
      ["NumMedia without any URL", () => ({ NumMedia: "2" }), [], 2],
      [
        "a URL not shaped like a URL",
        (sid: string) => ({ NumMedia: "2", ...items(sid, [0, 1]), MediaUrl0: "not a url" }),
        [1],
        1,
      ],
      [
        "a javascript: URL",
        (sid: string) => ({ NumMedia: "1", ...items(sid, [0]), MediaUrl0: "javascript:alert(1)" }),
        [],
        1,
      ],
      ["another message's media", (sid: string) => ({ NumMedia: "1", ...items(`MM${sid.slice(2)}`, [0]) }), [], 1],
      [
        "a media URL without its content type",
        (sid: string) => ({ NumMedia: "1", MediaUrl0: mediaUrl(sid, 0) }),
        [],
        1,
      ],
      [
        "a malformed content type",
        (sid: string) => ({ NumMedia: "1", ...items(sid, [0]), MediaContentType0: "image png" }),
        [],
        1,
      ],
    ])("%s: the text arrives, exactly the usable media with it", async (_, extra, indexes, omitted) => {
      const { turn, sid } = await mms(extra);
      expect(turn?.media).toEqual(indexes.map((index) => ({ url: mediaUrl(sid, index), contentType: "image/jpeg" })));
      expect(turn?.mediaOmitted ?? 0).toBe(omitted);
    });

    it("a contact card as carriers spell it (text/x-vCard; charset=UTF-8) is kept", async () => {
      const type = "text/x-vCard; charset=UTF-8";
      const { turn, sid } = await mms((messageSid) => ({
        NumMedia: "1",
        MediaUrl0: mediaUrl(messageSid, 0),
        MediaContentType0: type,
      }));
      expect(turn?.media).toEqual([{ url: mediaUrl(sid, 0), contentType: type }]);
    });

    it("a NumMedia that is not a count is refused, naming it (Twilio sends digits; letters mean a re-cut)", async () => {
      const response = await h.webhook(inboundSms(h.account(), OWNER, "x", { NumMedia: "0Num" }));
      expect(response.statusCode).toBe(400);
      expect(response.body).toBe('NumMedia: expected a count, got "0Num"');
    });
  });

  describe("the webhook and the turn contract agree on what a message is", () => {
    it("a body over 1600 characters becomes a turn an agent can read", async () => {
      const long = "a".repeat(MAX_TURN_TEXT);
      expect((await h.webhook(inboundSms(h.account(), OWNER, long))).statusCode).toBe(200);
      expect((await onlyTurn())?.text).toBe(long);
      expect(await h.queueDepth(h.aws.queueUrls.turnsDlq)).toBe(0);
    });

    it("a body longer than any Twilio message is refused at the webhook, naming Body", async () => {
      const response = await h.webhook(inboundSms(h.account(), OWNER, "a".repeat(MAX_TURN_TEXT + 1)));
      expect(response.statusCode).toBe(400);
      expect(response.body).toMatch(/^Body: expected at most 4096 characters/);
      expect(await h.receiveTurns()).toEqual([]);
    });
  });
});
