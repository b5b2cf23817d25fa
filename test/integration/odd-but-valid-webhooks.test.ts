import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { echoReply } from "../../lib/agent/echo-agent.ts";
import { MAX_TURN_TEXT } from "../../lib/queue/messages.ts";
import { type Harness, inboundSms, startHarness } from "../support/flow-harness.ts";

const SID = `AC${"9".repeat(32)}`;
const TOKEN = "odd-token";
const OWNER = "+15557654321";
const MEDIA = (index: number) => `https://api.twilio.com/2010-04-01/Accounts/${SID}/Messages/MM1/Media/ME${index}`;

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

    it("the answer goes back over RCS, to the rcs: address", async () => {
      await h.webhook(inboundSms(h.account(), `rcs:${OWNER}`, "ping"));
      const turn = await onlyTurn();
      if (!turn) return;
      await h.inboundDeps.queues.sendReply(echoReply(turn));
      expect((await h.deliverReplies()).map((outcome) => outcome.kind)).toEqual(["sent"]);
      expect(h.twilio.messages.at(-1)).toMatchObject({ to: `rcs:${OWNER}`, body: 'You said: "ping"' });
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
    const mediaForm = (count: number) =>
      Object.fromEntries(
        Array.from({ length: count }, (_, index) => [
          [`MediaUrl${index}`, MEDIA(index)],
          [`MediaContentType${index}`, "image/jpeg"],
        ]).flat(),
      );

    it("more than 10 media: the first 10 are kept and the turn says how many were left out", async () => {
      await h.webhook(inboundSms(h.account(), OWNER, "album", { NumMedia: "12", ...mediaForm(12) }));
      const turn = await onlyTurn();
      expect(turn?.media.map((item) => item.url)).toEqual(Array.from({ length: 10 }, (_, index) => MEDIA(index)));
      expect(turn?.mediaOmitted).toBe(2);
    });

    it.each([
      ["a missing MediaUrlN", { NumMedia: "3", MediaUrl0: MEDIA(0), MediaUrl2: MEDIA(2) }, [MEDIA(0), MEDIA(2)], 1],
      ["a malformed MediaUrlN", { NumMedia: "2", MediaUrl0: "not a url", MediaUrl1: MEDIA(1) }, [MEDIA(1)], 1],
      ["a javascript: URL", { NumMedia: "1", MediaUrl0: "javascript:alert(1)" }, [], 1],
      ["a bad NumMedia", { NumMedia: "two", MediaUrl0: MEDIA(0), MediaUrl1: MEDIA(1) }, [MEDIA(0), MEDIA(1)], 0],
      ["NumMedia without any URL", { NumMedia: "2" }, [], 2],
      ["a URL without NumMedia", { NumMedia: "0", MediaUrl0: MEDIA(0) }, [MEDIA(0)], 0],
    ])("%s: the text arrives, usable media with it", async (_, extra, urls, omitted) => {
      expect((await h.webhook(inboundSms(h.account(), OWNER, "see pics", extra))).statusCode).toBe(200);
      const turn = await onlyTurn();
      expect(turn?.text).toBe("see pics");
      expect(turn?.media.map((item) => item.url)).toEqual(urls);
      expect(turn?.mediaOmitted ?? 0).toBe(omitted);
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
