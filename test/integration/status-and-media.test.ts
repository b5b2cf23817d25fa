import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, inboundSms, startHarness } from "../support/flow-harness.ts";

const SID = `AC${"6".repeat(32)}`;
const OWNER = "+15557654321";
let counter = 0;
const messageSid = () => `SM${(++counter).toString(16).padStart(32, "f")}`;

describe("delivery status callbacks and inbound media", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      accountSid: SID,
      authToken: "status-token",
      fromNumber: "+15554440000",
      dmPolicy: "allowlist",
      allowFrom: [OWNER],
    });
  });
  afterAll(() => h.stop());

  function callback(sid: string, status: string, extra: Record<string, string> = {}) {
    return h.webhook({
      MessageSid: sid,
      SmsSid: sid,
      MessageStatus: status,
      SmsStatus: status,
      AccountSid: SID,
      From: "+15554440000",
      To: OWNER,
      ApiVersion: "2010-04-01",
      ...extra,
    });
  }

  it("records statuses per message sid; a terminal status is never replaced by a later non-terminal one", async () => {
    const sid = messageSid();
    for (const status of ["queued", "sent", "delivered", "sent"]) {
      expect((await callback(sid, status)).statusCode).toBe(200);
    }
    expect(await h.inboundDeps.statuses.read(sid)).toEqual({ status: "delivered", errorCode: "" });
  });

  it("flags conflicting terminal statuses and keeps the first", async () => {
    const sid = messageSid();
    await callback(sid, "delivered");
    await callback(sid, "undelivered", { ErrorCode: "30003" });
    expect(await h.inboundDeps.statuses.read(sid)).toEqual({
      status: "delivered",
      errorCode: "",
      conflictingStatus: "undelivered",
    });
  });

  it("records the error code of a failed message", async () => {
    const sid = messageSid();
    await callback(sid, "sending");
    await callback(sid, "failed", { ErrorCode: "30007" });
    expect(await h.inboundDeps.statuses.read(sid)).toEqual({ status: "failed", errorCode: "30007" });
  });

  it("an unsigned or foreign-account callback changes nothing", async () => {
    const sid = messageSid();
    const forged = await h.webhook(
      { MessageSid: sid, MessageStatus: "delivered", AccountSid: SID },
      { signature: "bad" },
    );
    expect(forged.statusCode).toBe(403);
    const foreign = await callback(sid, "delivered", { AccountSid: `AC${"7".repeat(32)}` });
    expect(foreign.statusCode).toBe(403);
    expect(await h.inboundDeps.statuses.read(sid)).toBeUndefined();
  });

  it("a status callback is never an agent turn", async () => {
    await callback(messageSid(), "delivered");
    expect(await h.receiveTurns()).toEqual([]);
  });

  it("an MMS turn carries its media URLs and types (at most 10)", async () => {
    const form = inboundSms(h.account(), OWNER, "");
    const media: Record<string, string> = { NumMedia: "12" };
    for (let i = 0; i < 12; i++) {
      const mediaSid = `ME${i.toString(16).padStart(32, "0")}`;
      media[`MediaUrl${i}`] =
        `https://api.twilio.com/2010-04-01/Accounts/${SID}/Messages/${form.MessageSid}/Media/${mediaSid}`;
      media[`MediaContentType${i}`] = i % 2 ? "image/png" : "image/jpeg";
    }
    expect((await h.webhook({ ...form, ...media })).statusCode).toBe(200);
    const [turn] = await h.receiveTurns();
    expect(turn?.text).toBe("");
    expect(turn?.media).toHaveLength(10);
    expect(turn?.media[1]).toEqual({ url: media.MediaUrl1, contentType: "image/png" });
  });
});
