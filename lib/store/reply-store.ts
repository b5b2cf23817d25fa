import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { optOutKey } from "./opt-out-store.ts";

const REPLY_TTL_SECONDS = 14 * 24 * 3600;

export type ReplyFinalState = "sent" | "refused" | "failed";

/**
 * Delivery progress of one reply (pk `REPLY#<account>#<replyId>`): the Twilio sid of every chunk accepted so far,
 * in order, and a claim on the chunk being sent, so a retry resumes at the first unsent chunk and can tell whether
 * an interrupted send may have gone out.
 */
export interface ReplyProgress {
  sids: string[];
  claim?: { index: number; at: number };
  finalState?: ReplyFinalState;
  reason?: string;
}

export class ReplyStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Progress and whether the recipient opted out, in one BatchGetItem. */
  async readProgressAndOptOut(
    accountId: string,
    replyId: string,
    recipient: string,
  ): Promise<{ progress: ReplyProgress; optedOut: boolean }> {
    const replyKey = this.key(accountId, replyId);
    const recipientKey = optOutKey(accountId, recipient);
    const result = await this.db.send(
      new BatchGetItemCommand({
        RequestItems: { [this.tableName]: { Keys: [replyKey, recipientKey], ConsistentRead: true } },
      }),
    );
    const items = result.Responses?.[this.tableName] ?? [];
    const replyItem = items.find((item) => item.pk?.S === replyKey.pk.S && item.sk?.S === replyKey.sk.S);
    const claim = replyItem?.claim?.M;
    return {
      progress: {
        sids: (replyItem?.sids?.L ?? []).map((value) => value.S ?? ""),
        ...(claim ? { claim: { index: Number(claim.index?.N ?? 0), at: Number(claim.at?.N ?? 0) } } : {}),
        ...(replyItem?.finalState?.S ? { finalState: replyItem.finalState.S as ReplyFinalState } : {}),
        ...(replyItem?.reason?.S ? { reason: replyItem.reason.S } : {}),
      },
      optedOut: items.some((item) => item.sk?.S === recipientKey.sk.S),
    };
  }

  /** Marks chunk `index` as about to be sent. */
  async claim(accountId: string, replyId: string, index: number, chunkCount: number, nowMs: number): Promise<void> {
    await this.db.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: this.key(accountId, replyId),
        UpdateExpression: "SET claim = :claim, chunkCount = :count, expiresAt = :expires",
        ExpressionAttributeValues: {
          ":claim": { M: { index: { N: String(index) }, at: { N: String(nowMs) } } },
          ":count": { N: String(chunkCount) },
          ":expires": { N: String(Math.floor(nowMs / 1000) + REPLY_TTL_SECONDS) },
        },
      }),
    );
  }

  /**
   * Appends chunk `index`'s sid only if exactly `index` sids are recorded: a concurrent or repeated delivery
   * cannot record a chunk twice or out of order. Returns false if the chunk was already recorded.
   */
  async recordSent(accountId: string, replyId: string, index: number, sid: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: this.key(accountId, replyId),
          UpdateExpression: "SET sids = list_append(if_not_exists(sids, :empty), :sid) REMOVE claim",
          ConditionExpression: index === 0 ? "attribute_not_exists(sids) OR size(sids) = :zero" : "size(sids) = :index",
          ExpressionAttributeValues: {
            ":empty": { L: [] },
            ":sid": { L: [{ S: sid }] },
            ...(index === 0 ? { ":zero": { N: "0" } } : { ":index": { N: String(index) } }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async finish(
    accountId: string,
    replyId: string,
    state: ReplyFinalState,
    reason: string,
    nowMs: number,
  ): Promise<void> {
    await this.db.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: this.key(accountId, replyId),
        UpdateExpression: "SET finalState = :state, reason = :reason, finishedAt = :now, expiresAt = :expires",
        ExpressionAttributeValues: {
          ":state": { S: state },
          ":reason": { S: reason },
          ":now": { N: String(nowMs) },
          ":expires": { N: String(Math.floor(nowMs / 1000) + REPLY_TTL_SECONDS) },
        },
      }),
    );
  }

  private key(accountId: string, replyId: string) {
    return { pk: { S: `REPLY#${accountId}#${replyId}` }, sk: { S: "REPLY" } };
  }
}
