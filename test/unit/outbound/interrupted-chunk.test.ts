import { describe, expect, it } from "vitest";
import { RetryLater } from "../../../lib/outbound/delivery-errors.ts";
import {
  adoptInterruptedChunk,
  findInterruptedChunkCandidates,
  isInterruptedChunk,
  RECONCILE_SKEW_MS,
} from "../../../lib/outbound/interrupted-chunk.ts";
import type { MessageLedger } from "../../../lib/outbound/outbound-deps.ts";
import type { ChunkOwner, SendRecord } from "../../../lib/store/status-store.ts";
import { TwilioApiError, TwilioTimeoutError } from "../../../lib/twilio/api-errors.ts";
import type { TwilioMessage } from "../../../lib/twilio/rest-client.ts";
import { twilioClientWith } from "../../support/twilio-client-fake.ts";

const CLAIM_AT = Date.UTC(2026, 10, 23, 12, 0, 0);

/** Twilio's date_created: RFC 2822, whole seconds. */
function message(sid: string, createdMs: number, body = "hello"): TwilioMessage {
  const dateCreated = new Date(createdMs).toUTCString().replace(/GMT$/, "+0000");
  return {
    sid,
    status: "queued",
    to: "+15550001111",
    from: null,
    body,
    numSegments: "1",
    dateCreated,
    errorCode: null,
    direction: "outbound-api",
    messagingServiceSid: null,
  };
}

const query = { body: "hello", claimAt: CLAIM_AT, recordedSids: [] as string[] };

describe("isInterruptedChunk", () => {
  it("accepts the same body created from the skew allowance before the claim on", () => {
    expect(isInterruptedChunk(message("SM1", CLAIM_AT - RECONCILE_SKEW_MS), query)).toBe(true);
    expect(isInterruptedChunk(message("SM2", CLAIM_AT), query)).toBe(true);
    expect(isInterruptedChunk(message("SM3", CLAIM_AT + 60_000), query)).toBe(true);
  });

  it("rejects a message created earlier than that: an earlier identical reply's", () => {
    expect(isInterruptedChunk(message("SM1", CLAIM_AT - RECONCILE_SKEW_MS - 1000), query)).toBe(false);
    expect(isInterruptedChunk(message("SM2", CLAIM_AT - 30_000), query)).toBe(false);
  });

  it("rejects another body, a sid this reply already recorded, and an unreadable date", () => {
    expect(isInterruptedChunk(message("SM1", CLAIM_AT, "hello!"), query)).toBe(false);
    expect(isInterruptedChunk(message("SM1", CLAIM_AT), { ...query, recordedSids: ["SM1"] })).toBe(false);
    expect(isInterruptedChunk({ ...message("SM1", CLAIM_AT), dateCreated: null }, query)).toBe(false);
    expect(isInterruptedChunk({ ...message("SM1", CLAIM_AT), dateCreated: "yesterday-ish" }, query)).toBe(false);
  });
});

function twilio(list: () => Promise<TwilioMessage[]>) {
  const refreshed: string[] = [];
  const client = twilioClientWith({ listMessages: list });
  return { client, refreshToken: () => refreshed.push("refresh"), tokenLooksSet: async () => true, refreshed };
}

describe("findInterruptedChunkCandidates", () => {
  const apiError = (httpStatus: number, code: number) =>
    new TwilioApiError({ operation: "listMessages", httpStatus, code, twilioMessage: null, moreInfo: null });

  it("returns the matching messages newest first and skips older identical ones", async () => {
    const listed = [message("SMnew", CLAIM_AT + 2000), message("SMold", CLAIM_AT - 30_000)];
    const found = await findInterruptedChunkCandidates(
      twilio(async () => listed),
      { to: "+15550001111", ...query },
    );
    expect(found.map((m) => m.sid)).toEqual(["SMnew"]);
    const none = await findInterruptedChunkCandidates(
      twilio(async () => listed.slice(1)),
      { to: "+15550001111", ...query },
    );
    expect(none).toEqual([]);
  });

  it("turns a transient listing failure into RetryLater, re-reading the token after a 20003", async () => {
    const query2 = { to: "+15550001111", ...query };
    const timeout = twilio(() => Promise.reject(new TwilioTimeoutError("listMessages", "timeout")));
    await expect(findInterruptedChunkCandidates(timeout, query2)).rejects.toBeInstanceOf(RetryLater);
    const busy = twilio(() => Promise.reject(apiError(429, 20429)));
    await expect(findInterruptedChunkCandidates(busy, query2)).rejects.toBeInstanceOf(RetryLater);
    const auth = twilio(() => Promise.reject(apiError(401, 20003)));
    await expect(findInterruptedChunkCandidates(auth, query2)).rejects.toBeInstanceOf(RetryLater);
    expect(auth.refreshed).toEqual(["refresh"]);
    const terminal = twilio(() => Promise.reject(apiError(400, 21211)));
    await expect(findInterruptedChunkCandidates(terminal, query2)).rejects.toBeInstanceOf(TwilioApiError);
  });
});

describe("adoptInterruptedChunk", () => {
  const me: ChunkOwner = { accountId: "default", replyId: "r2", chunk: 0 };
  const earlierReply: ChunkOwner = { accountId: "default", replyId: "r1", chunk: 0 };

  /** The owner records as the MSG# items hold them; recordSend is conditional, as in DynamoDB. */
  function ledger(initial: Record<string, ChunkOwner>) {
    const owners = new Map(Object.entries(initial));
    const reads: string[][] = [];
    const writes: SendRecord[] = [];
    const store: MessageLedger = {
      async owners(sids) {
        reads.push([...sids]);
        return new Map(sids.flatMap((sid) => (owners.has(sid) ? [[sid, owners.get(sid) as ChunkOwner]] : [])));
      },
      async recordSend(record) {
        writes.push(record);
        const current = owners.get(record.messageSid);
        if (current && JSON.stringify(current) !== JSON.stringify(record.owner)) return false;
        owners.set(record.messageSid, record.owner);
        return true;
      },
    };
    return { store, reads, writes, owners };
  }
  const adopt = (listed: TwilioMessage[], store: MessageLedger) =>
    adoptInterruptedChunk(
      twilio(async () => listed),
      store,
      { to: "+15550001111", ...query, owner: me, nowMs: CLAIM_AT + 10_000 },
    );

  it("never takes an identical message another reply owns (issue 7), and resends instead", async () => {
    const l = ledger({ SMfirst: earlierReply });
    expect(await adopt([message("SMfirst", CLAIM_AT - 1000)], l.store)).toBeUndefined();
    expect(l.writes).toEqual([]);
  });

  it("adopts the unowned message, recording it as this chunk's with the status Twilio listed", async () => {
    const l = ledger({ SMfirst: earlierReply });
    const listed = [{ ...message("SMmine", CLAIM_AT + 500), status: "sent" }, message("SMfirst", CLAIM_AT - 1000)];
    expect((await adopt(listed, l.store))?.sid).toBe("SMmine");
    expect(l.reads).toEqual([["SMmine", "SMfirst"]]); // one read for all candidates
    expect(l.writes).toEqual([{ messageSid: "SMmine", owner: me, status: "sent", nowMs: CLAIM_AT + 10_000 }]);
  });

  it("prefers the message already marked as this chunk's over a newer unowned one", async () => {
    const l = ledger({ SMmarked: me });
    const listed = [message("SMstranger", CLAIM_AT + 900), message("SMmarked", CLAIM_AT + 500)];
    expect((await adopt(listed, l.store))?.sid).toBe("SMmarked");
  });

  it("does not take a message owned by another chunk of the same reply", async () => {
    const l = ledger({ SMchunk1: { ...me, chunk: 1 } });
    expect(await adopt([message("SMchunk1", CLAIM_AT)], l.store)).toBeUndefined();
  });

  it("moves on when another attempt adopts a candidate first", async () => {
    const l = ledger({});
    const racing: MessageLedger = {
      owners: l.store.owners,
      async recordSend(record) {
        if (record.messageSid === "SMa") l.owners.set("SMa", earlierReply); // taken between the read and the write
        return l.store.recordSend(record);
      },
    };
    const listed = [message("SMa", CLAIM_AT + 900), message("SMb", CLAIM_AT + 500)];
    expect((await adopt(listed, racing))?.sid).toBe("SMb");
  });

  it("reads nothing from DynamoDB when Twilio lists no candidate", async () => {
    const l = ledger({});
    expect(await adopt([message("SMother", CLAIM_AT, "something else")], l.store)).toBeUndefined();
    expect(l.reads).toEqual([]);
  });
});
