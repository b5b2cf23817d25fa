import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { ReplyStore } from "../../../lib/store/reply-store.ts";

/** A DynamoDB stand-in (the boundary) that leaves the opt-out key unprocessed on its first answer, as under throttling. */
function throttlingDb(optOutExists: boolean, unprocessedRounds: number) {
  const calls: number[] = [];
  const db = {
    async send(command: { input: { RequestItems: Record<string, { Keys: Array<Record<string, { S: string }>> }> } }) {
      const keys = command.input.RequestItems.table?.Keys ?? [];
      calls.push(keys.length);
      const optOut = keys.find((key) => key.sk?.S.startsWith("OPTOUT#"));
      if (optOut && calls.length <= unprocessedRounds) {
        return {
          Responses: { table: [] },
          UnprocessedKeys: { table: { Keys: [optOut] } },
        };
      }
      return { Responses: { table: optOut && optOutExists ? [{ ...optOut, optedOutAt: { N: "1" } }] : [] } };
    },
  };
  return { db: db as unknown as DynamoDBClient, calls };
}

describe("ReplyStore.readProgressAndOptOut under throttling", () => {
  it("asks again for unprocessed keys instead of taking a missing opt-out for 'not opted out'", async () => {
    const { db, calls } = throttlingDb(true, 1);
    const result = await new ReplyStore(db, "table").readProgressAndOptOut("default", "r1", "+15557654321");
    expect(result.optedOut).toBe(true);
    expect(calls).toEqual([2, 1]);
  });

  it("gives up with an error (the reply is retried) when keys stay unprocessed", async () => {
    const { db } = throttlingDb(true, 10);
    await expect(new ReplyStore(db, "table").readProgressAndOptOut("default", "r1", "+15557654321")).rejects.toThrow(
      "DynamoDB left keys unprocessed after several retries",
    );
  });
});
