import { type DynamoDBClient, GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";

/**
 * How long a message sid is remembered. Twilio's signature has no timestamp, so a captured webhook stays valid
 * forever; SQS FIFO only deduplicates for 5 minutes. Thirty days, as long as the agent remembers a conversation, so
 * a replay is never a new turn while its answer could still be in the memory; the price is one small item's storage
 * (TTL deletes it for free).
 */
export const REPLAY_WINDOW_SECONDS = 30 * 24 * 3600;

/**
 * One receipt per inbound message (pk `INBOUND#<account>#<MessageSid>`), written once the message has had its
 * effect (a turn queued, a pairing code, an opt-out ...): a replayed or re-delivered webhook that finds it changes
 * nothing. Written after the effect, so a webhook that failed half-way is still processed when Twilio retries it.
 */
export class InboundReceiptStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** The outcome recorded for this message, if it was handled within the replay window. */
  async handledOutcome(accountId: string, messageSid: string, nowMs: number): Promise<string | undefined> {
    const result = await this.db.send(
      new GetItemCommand({ TableName: this.tableName, Key: receiptKey(accountId, messageSid), ConsistentRead: true }),
    );
    const item = result.Item;
    // TTL deletion runs late (and never on dynalite): expiry is checked here.
    if (!item || Number(item.expiresAt?.N ?? 0) * 1000 <= nowMs) return undefined;
    return item.outcome?.S ?? "handled";
  }

  async recordHandled(accountId: string, messageSid: string, outcome: string, nowMs: number): Promise<void> {
    await this.db.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: receiptKey(accountId, messageSid),
        UpdateExpression: "SET outcome = :outcome, handledAt = :now, expiresAt = :expires",
        ExpressionAttributeValues: {
          ":outcome": { S: outcome },
          ":now": { N: String(nowMs) },
          ":expires": { N: String(Math.floor(nowMs / 1000) + REPLAY_WINDOW_SECONDS) },
        },
      }),
    );
  }
}

function receiptKey(accountId: string, messageSid: string) {
  return { pk: { S: `INBOUND#${accountId}#${messageSid}` }, sk: { S: "RECEIPT" } };
}
