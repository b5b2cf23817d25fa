import { describe, expect, it } from "vitest";
import { retryDelaySeconds } from "../../../lib/outbound/retry-backoff.ts";

describe("retry backoff", () => {
  it("grows by three from five seconds and caps at fifteen minutes", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(retryDelaySeconds)).toEqual([5, 15, 45, 135, 405, 900, 900, 900]);
  });
});
