import { type AttributeValue, BatchGetItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";

export type Item = Record<string, AttributeValue>;

/** BatchGetItem calls made for one read before giving up on unprocessed keys. */
const BATCH_GET_ROUNDS = 4;

/**
 * Consistent reads of up to 100 keys. BatchGetItem may leave keys unprocessed under throttling, and a missing item
 * must never be mistaken for an absent one (an opt-out, a message's owner), so those keys are asked for again (a
 * few times, then it is an error the caller retries).
 */
export async function batchGetConsistent(db: DynamoDBClient, tableName: string, keys: Item[]): Promise<Item[]> {
  const items: Item[] = [];
  let pending = keys;
  for (let round = 0; pending.length > 0; round++) {
    if (round === BATCH_GET_ROUNDS) throw new Error("DynamoDB left keys unprocessed after several retries");
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
    const result = await db.send(
      new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
    );
    items.push(...(result.Responses?.[tableName] ?? []));
    pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
  }
  return items;
}
