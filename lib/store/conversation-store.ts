import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { type Conversation, emptyConversation, TURN_MEMORY_MS } from "../agent/conversation.ts";

/**
 * One item per account and sender (pk `CONV#<account>#<+E164>`): the agent's memory of the conversation and the
 * turns it has handled. Saved whole, under an optimistic lock, and expiring 30 days after the last change (TTL; as
 * dynalite never expires items, the expiry is also checked on read).
 */
export class ConversationStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async read(accountId: string, number: string, nowMs: number): Promise<Conversation> {
    const result = await this.db.send(
      new GetItemCommand({ TableName: this.tableName, Key: conversationKey(accountId, number), ConsistentRead: true }),
    );
    const item = result.Item;
    if (!item || Number(item.expiresAt?.N ?? 0) * 1000 <= nowMs) {
      // An expired item still holds its version: a save must replace it, not race it.
      return { ...emptyConversation(), version: Number(item?.version?.N ?? 0) };
    }
    return {
      messages: JSON.parse(item.messages?.S ?? "[]"),
      turns: JSON.parse(item.turns?.S ?? "[]"),
      attempts: JSON.parse(item.attempts?.S ?? "{}"),
      version: Number(item.version?.N ?? 0),
    };
  }

  /** Saves `next` if the stored version is still the one it was read at; false when another writer came first. */
  async save(accountId: string, number: string, next: Conversation, nowMs: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: conversationKey(accountId, number),
          UpdateExpression:
            "SET messages = :messages, turns = :turns, attempts = :attempts, version = :next, expiresAt = :expires",
          ConditionExpression: next.version === 0 ? "attribute_not_exists(version)" : "version = :read",
          ExpressionAttributeValues: {
            ":messages": { S: JSON.stringify(next.messages) },
            ":turns": { S: JSON.stringify(next.turns) },
            ":attempts": { S: JSON.stringify(next.attempts) },
            ":next": { N: String(next.version + 1) },
            ":expires": { N: String(Math.floor((nowMs + TURN_MEMORY_MS) / 1000)) },
            ...(next.version === 0 ? {} : { ":read": { N: String(next.version) } }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

function conversationKey(accountId: string, number: string) {
  return { pk: { S: `CONV#${accountId}#${number}` }, sk: { S: "CONV" } };
}
