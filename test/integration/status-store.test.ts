import { UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedAws, startEmbeddedAws } from "../../infra/local/embedded-aws.ts";
import { type ChunkOwner, StatusStore } from "../../lib/store/status-store.ts";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
let counter = 0;
const newSid = () => `SM${(++counter).toString(16).padStart(32, "a")}`;
const owner = (replyId: string, chunk = 0): ChunkOwner => ({ accountId: "default", replyId, chunk });

describe("delivery statuses per message sid (StatusStore on dynalite)", () => {
  let aws: EmbeddedAws;
  let store: StatusStore;

  beforeAll(async () => {
    aws = await startEmbeddedAws();
    store = new StatusStore(aws.dynamo, aws.tableName);
  });
  afterAll(() => aws.stop());

  /** Records the callbacks in order; returns each outcome. */
  async function callbacks(sid: string, ...statuses: string[]) {
    const outcomes: string[] = [];
    for (const status of statuses) {
      outcomes.push(await store.record({ messageSid: sid, accountId: "default", status, nowMs: NOW }));
    }
    return outcomes;
  }

  it("never moves backwards: queued after sent, sending after sent and sent after delivered are ignored", async () => {
    const sid = newSid();
    expect(await callbacks(sid, "accepted", "sent", "queued", "sending", "delivered", "sent")).toEqual([
      "recorded",
      "recorded",
      "ignored-late",
      "ignored-late",
      "recorded",
      "ignored-late",
    ]);
    expect(await store.read(sid)).toEqual({ status: "delivered", errorCode: "" });
  });

  it("read after delivered is an upgrade, not a conflict; delivered after read changes nothing", async () => {
    const sid = newSid();
    expect(await callbacks(sid, "delivered", "read", "delivered")).toEqual(["recorded", "recorded", "duplicate"]);
    expect(await store.read(sid)).toEqual({ status: "read", errorCode: "" });
  });

  it.each([
    ["delivered", "undelivered"],
    ["failed", "delivered"],
    ["undelivered", "read"], // a read receipt after a failure contradicts it: flagged, not an upgrade
    ["read", "failed"],
  ])("a second, different terminal status (%s, then %s) is flagged and the first kept", async (first, second) => {
    const sid = newSid();
    expect(await callbacks(sid, first, second, second)).toEqual(["recorded", "conflict-flagged", "conflict-flagged"]);
    expect(await store.read(sid)).toEqual({ status: first, errorCode: "", conflictingStatus: second });
  });

  it("a repeated status is a duplicate (Twilio retried a callback that got through)", async () => {
    const sid = newSid();
    expect(await callbacks(sid, "sent", "sent", "delivered", "delivered")).toEqual([
      "recorded",
      "ignored-late",
      "recorded",
      "duplicate",
    ]);
  });

  it("an unknown status is kept only until a known one arrives, and never replaces one", async () => {
    const sid = newSid();
    expect(await callbacks(sid, "partially_delivered", "sent", "something_new")).toEqual([
      "recorded",
      "recorded",
      "ignored-late",
    ]);
    expect(await store.read(sid)).toEqual({ status: "sent", errorCode: "" });
  });

  it("an item written before ranks were stored still moves forward, never back", async () => {
    const legacy = async (status: string) => {
      const sid = newSid();
      await aws.dynamo.send(
        new UpdateItemCommand({
          TableName: aws.tableName,
          Key: { pk: { S: `MSG#${sid}` }, sk: { S: "STATUS" } },
          UpdateExpression: "SET #status = :status, errorCode = :none",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":status": { S: status }, ":none": { S: "" } },
        }),
      );
      return sid;
    };
    const sending = await legacy("sending");
    expect(await callbacks(sending, "delivered", "sent")).toEqual(["recorded", "ignored-late"]);
    const delivered = await legacy("delivered");
    expect(await callbacks(delivered, "sent")).toEqual(["ignored-late"]);
    expect(await store.read(delivered)).toEqual({ status: "delivered", errorCode: "" });
  });

  it("the send's own status is recorded with the message's owner", async () => {
    const sid = newSid();
    expect(await store.recordSend({ messageSid: sid, owner: owner("r1", 2), status: "accepted", nowMs: NOW })).toBe(
      true,
    );
    expect(await store.read(sid)).toEqual({ status: "accepted", errorCode: "" });
    expect(await store.owners([sid, newSid()])).toEqual(new Map([[sid, owner("r1", 2)]]));
    expect(await callbacks(sid, "queued", "accepted")).toEqual(["recorded", "ignored-late"]);
  });

  it("a callback that came before the send's answer is kept, and the owner is still written", async () => {
    const sid = newSid();
    await callbacks(sid, "sent");
    expect(await store.recordSend({ messageSid: sid, owner: owner("r1"), status: "queued", nowMs: NOW })).toBe(true);
    expect(await store.read(sid)).toEqual({ status: "sent", errorCode: "" });
    expect(await store.owners([sid])).toEqual(new Map([[sid, owner("r1")]]));
  });

  it("a message owned by one reply's chunk can be recorded again by it, never taken by another", async () => {
    const sid = newSid();
    const send = (who: ChunkOwner) => store.recordSend({ messageSid: sid, owner: who, status: "queued", nowMs: NOW });
    expect(await send(owner("r1", 0))).toBe(true);
    expect(await send(owner("r2", 0))).toBe(false);
    expect(await send(owner("r1", 1))).toBe(false);
    expect(await send({ ...owner("r1", 0), accountId: "other" })).toBe(false);
    expect(await send(owner("r1", 0))).toBe(true);
    expect(await store.owners([sid])).toEqual(new Map([[sid, owner("r1", 0)]]));
  });
});
