import { describe, expect, it } from "vitest";
import { statusRank, UNKNOWN_STATUS_RANK } from "../../../lib/twilio/message-status.ts";

describe("statusRank", () => {
  it("orders an outbound message's statuses as Twilio moves it along", () => {
    const order = ["accepted", "queued", "sending", "sent", "delivered", "read"].map(statusRank);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(order).size).toBe(order.length);
    expect(statusRank("scheduled")).toBe(statusRank("accepted"));
  });

  it("ranks every terminal outcome alike, so two different ones are a conflict rather than an upgrade", () => {
    const terminal = ["delivered", "undelivered", "failed", "canceled"].map(statusRank);
    expect(new Set(terminal)).toEqual(new Set([statusRank("delivered")]));
    expect(statusRank("read")).toBeGreaterThan(statusRank("delivered"));
  });

  it("ranks statuses outside that order lowest", () => {
    for (const status of ["received", "partially_delivered", "something_new", "toString", ""]) {
      expect(statusRank(status)).toBe(UNKNOWN_STATUS_RANK);
    }
    expect(statusRank("accepted")).toBeGreaterThan(UNKNOWN_STATUS_RANK);
  });
});
