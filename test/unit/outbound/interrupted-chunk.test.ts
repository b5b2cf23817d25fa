import { describe, expect, it } from "vitest";
import { RetryLater } from "../../../lib/outbound/delivery-errors.ts";
import {
  findInterruptedChunk,
  isInterruptedChunk,
  RECONCILE_SKEW_MS,
} from "../../../lib/outbound/interrupted-chunk.ts";
import { TwilioApiError, TwilioTimeoutError } from "../../../lib/twilio/api-errors.ts";
import type { TwilioMessage, TwilioRestClient } from "../../../lib/twilio/rest-client.ts";

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

describe("findInterruptedChunk", () => {
  function twilio(list: () => Promise<TwilioMessage[]>) {
    const refreshed: string[] = [];
    const client: TwilioRestClient = {
      listMessages: list,
      sendMessage: () => Promise.reject(new Error("not used")),
      fetchAccount: () => Promise.reject(new Error("not used")),
      findIncomingNumber: () => Promise.reject(new Error("not used")),
      fetchMessagingService: () => Promise.reject(new Error("not used")),
    };
    return { client, refreshToken: () => refreshed.push("refresh"), refreshed };
  }
  const apiError = (httpStatus: number, code: number) =>
    new TwilioApiError({ operation: "listMessages", httpStatus, code, twilioMessage: null, moreInfo: null });

  it("returns the newest matching message and skips older identical ones", async () => {
    const listed = [message("SMnew", CLAIM_AT + 2000), message("SMold", CLAIM_AT - 30_000)];
    const found = await findInterruptedChunk(
      twilio(async () => listed),
      { to: "+15550001111", ...query },
    );
    expect(found?.sid).toBe("SMnew");
    const none = await findInterruptedChunk(
      twilio(async () => listed.slice(1)),
      { to: "+15550001111", ...query },
    );
    expect(none).toBeUndefined();
  });

  it("turns a transient listing failure into RetryLater, re-reading the token after a 20003", async () => {
    const query2 = { to: "+15550001111", ...query };
    const timeout = twilio(() => Promise.reject(new TwilioTimeoutError("listMessages", "timeout")));
    await expect(findInterruptedChunk(timeout, query2)).rejects.toBeInstanceOf(RetryLater);
    const busy = twilio(() => Promise.reject(apiError(429, 20429)));
    await expect(findInterruptedChunk(busy, query2)).rejects.toBeInstanceOf(RetryLater);
    const auth = twilio(() => Promise.reject(apiError(401, 20003)));
    await expect(findInterruptedChunk(auth, query2)).rejects.toBeInstanceOf(RetryLater);
    expect(auth.refreshed).toEqual(["refresh"]);
    const terminal = twilio(() => Promise.reject(apiError(400, 21211)));
    await expect(findInterruptedChunk(terminal, query2)).rejects.toBeInstanceOf(TwilioApiError);
  });
});
