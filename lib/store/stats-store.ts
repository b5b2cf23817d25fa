import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { ExpressionNames } from "./access-item-codec.ts";

const STATS_TTL_SECONDS = 35 * 24 * 3600;

/** `2026-11-23`: counters are per UTC day, so the operator sees "today" and nothing grows without bound. */
export function statsDay(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}

/**
 * Per-account daily counters of messages the channel dropped (pk `ACCOUNT#<id>`, sk `STATS#<day>`, expiring after
 * 35 days). Written only when a message is dropped, never on the hot path.
 */
export class StatsStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async countDrop(accountId: string, reason: string, nowMs: number): Promise<void> {
    const names = new ExpressionNames();
    await this.db.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: this.key(accountId, nowMs),
        UpdateExpression: `ADD ${names.ref(`dropped:${reason}`)} :one SET expiresAt = :expires`,
        ExpressionAttributeNames: names.names,
        ExpressionAttributeValues: {
          ":one": { N: "1" },
          ":expires": { N: String(Math.floor(nowMs / 1000) + STATS_TTL_SECONDS) },
        },
      }),
    );
  }

  /** Today's drop counts by reason, e.g. `{ "rate-limit-sender": 12 }`. */
  async droppedToday(accountId: string, nowMs: number): Promise<Record<string, number>> {
    const result = await this.db.send(
      new GetItemCommand({ TableName: this.tableName, Key: this.key(accountId, nowMs) }),
    );
    const counts: Record<string, number> = {};
    for (const [name, value] of Object.entries(result.Item ?? {})) {
      if (name.startsWith("dropped:")) counts[name.slice("dropped:".length)] = Number(value.N ?? 0);
    }
    return counts;
  }

  /** Counts one owner notice today unless `limit` were already sent: false means "over the limit, send none". */
  async countOwnerNotice(accountId: string, nowMs: number, limit: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: this.key(accountId, nowMs),
          UpdateExpression: "ADD ownerNotices :one SET expiresAt = :expires",
          ConditionExpression: "attribute_not_exists(ownerNotices) OR ownerNotices < :limit",
          ExpressionAttributeValues: {
            ":one": { N: "1" },
            ":limit": { N: String(limit) },
            ":expires": { N: String(Math.floor(nowMs / 1000) + STATS_TTL_SECONDS) },
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private key(accountId: string, nowMs: number) {
    return { pk: { S: `ACCOUNT#${accountId}` }, sk: { S: `STATS#${statsDay(nowMs)}` } };
  }
}
