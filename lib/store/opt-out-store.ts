import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";

/**
 * Who texted STOP, one small item per number (pk `ACCOUNT#<id>`, sk `OPTOUT#<+E164>`), so a public number with many
 * opt-outs never grows the account's access item. The outbound side reads it with each reply's progress.
 */
export class OptOutStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async optOut(accountId: string, phone: string, nowMs: number): Promise<void> {
    await this.db.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: optOutKey(accountId, phone),
        UpdateExpression: "SET optedOutAt = if_not_exists(optedOutAt, :now)",
        ExpressionAttributeValues: { ":now": { N: String(nowMs) } },
      }),
    );
  }

  /** Clears an opt-out; true if the number was opted out (so START/YES was meant for the carrier, not the agent). */
  async optIn(accountId: string, phone: string): Promise<boolean> {
    const result = await this.db.send(
      new DeleteItemCommand({ TableName: this.tableName, Key: optOutKey(accountId, phone), ReturnValues: "ALL_OLD" }),
    );
    return result.Attributes !== undefined;
  }

  async isOptedOut(accountId: string, phone: string): Promise<boolean> {
    const result = await this.db.send(
      new GetItemCommand({ TableName: this.tableName, Key: optOutKey(accountId, phone), ConsistentRead: true }),
    );
    return result.Item !== undefined;
  }

  /** Opted-out numbers of an account (operator status only). */
  async count(accountId: string): Promise<number> {
    let total = 0;
    let startKey: Record<string, { S: string }> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": { S: `ACCOUNT#${accountId}` }, ":prefix": { S: "OPTOUT#" } },
          Select: "COUNT",
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      total += page.Count ?? 0;
      startKey = page.LastEvaluatedKey as Record<string, { S: string }> | undefined;
    } while (startKey);
    return total;
  }
}

export function optOutKey(accountId: string, phone: string) {
  return { pk: { S: `ACCOUNT#${accountId}` }, sk: { S: `OPTOUT#${phone}` } };
}
