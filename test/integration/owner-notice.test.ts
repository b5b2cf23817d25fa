import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PAIRING_TTL_MS } from "../../lib/access/access-state.ts";
import { noticeOwners, OWNER_NOTICES_PER_DAY, type OwnerTopic } from "../../lib/inbound/owner-notice.ts";
import { silentLog } from "../../lib/log/log.ts";
import { type Harness, inboundSms, startHarness } from "../support/flow-harness.ts";

// A new pairing request reaches the owner: one SMS to each notifyTo number with the masked requester and the
// approve command, at most OWNER_NOTICES_PER_DAY a day, and a message on the owner topic (SNS on AWS).

const SID = `AC${"8".repeat(32)}`;
const OWNER = "+15557000001";
const SECOND_OWNER = "+15557000002";
const STRANGER = "+15559876543";

describe("owners hear of pairing requests", () => {
  let h: Harness;
  const published: Array<{ subject: string; message: string }> = [];
  let topicFails = false;
  const ownerTopic: OwnerTopic = {
    async publish(subject, message) {
      if (topicFails) throw new Error("SNS unavailable");
      published.push({ subject, message });
    },
  };

  beforeAll(async () => {
    h = await startHarness(
      {
        accountSid: SID,
        authToken: "owner-notice-token",
        fromNumber: "+15552220200",
        dmPolicy: "pairing",
        notifyTo: [OWNER, `sms:${SECOND_OWNER}`],
      },
      { ownerTopic },
    );
  });
  afterAll(() => h.stop());
  beforeEach(async () => {
    h.clock.now += 10 * PAIRING_TTL_MS;
    published.length = 0;
    topicFails = false;
    await h.receiveReplies();
  });

  it("one SMS to each owner with the masked number and the approve command, and one topic message", async () => {
    expect((await h.webhook(inboundSms(h.account(), STRANGER, "hello?"))).statusCode).toBe(200);
    const replies = await h.receiveReplies();
    const code = /Pairing code: (\S+)/.exec(replies.find((reply) => reply.to === STRANGER)?.text ?? "")?.[1];
    expect(code).toBeDefined();
    const notices = replies.filter((reply) => reply.to !== STRANGER);
    expect(notices.map((notice) => notice.to).sort()).toEqual([OWNER, SECOND_OWNER]);
    for (const notice of notices) {
      expect(notice).toMatchObject({ kind: "system", account: "default" });
      expect(notice.text).toBe(
        `New pairing request on "default" from +155****6543. Approve: smsctl pairing approve ${code}`,
      );
      expect(notice.text).not.toContain("9876543");
    }
    expect(published).toEqual([{ subject: "sms-channel: pairing request on default", message: notices[0]?.text }]);

    // The stranger writes again while the request is open: the owners are not told again.
    await h.webhook(inboundSms(h.account(), STRANGER, "anyone?"));
    expect((await h.receiveReplies()).filter((reply) => reply.to !== STRANGER)).toEqual([]);
    expect(published).toHaveLength(1);
  });

  it("a failing topic never fails the webhook, and the owners still get their SMS", async () => {
    topicFails = true;
    expect((await h.webhook(inboundSms(h.account(), "+15559876000", "hi"))).statusCode).toBe(200);
    expect((await h.receiveReplies()).filter((reply) => reply.to === OWNER)).toHaveLength(1);
  });

  it(`tells the owners of at most ${OWNER_NOTICES_PER_DAY} requests a day`, async () => {
    h.clock.now = Date.UTC(2027, 0, 10, 1, 0, 0); // a fresh UTC day
    const deps = { ...h.inboundDeps, log: silentLog };
    for (let i = 0; i < OWNER_NOTICES_PER_DAY + 5; i += 1) {
      const request = { phone: `+1555000${String(1000 + i)}`, code: `CODE${1000 + i}`, createdAt: h.clock.now + i };
      await noticeOwners(h.account(), request, deps);
    }
    const notices = (await h.receiveReplies()).filter((reply) => reply.to === OWNER);
    expect(notices).toHaveLength(OWNER_NOTICES_PER_DAY);
    expect(published).toHaveLength(OWNER_NOTICES_PER_DAY);
  });
});
