import { ConditionalCheckFailedException, type DynamoDBClient, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { batchGetConsistent } from "./batch-get.ts";
import { optOutKey } from "./opt-out-store.ts";

const REPLY_TTL_SECONDS = 14 * 24 * 3600;

export type ReplyFinalState = "sent" | "refused" | "failed";

/**
 * The lease on the chunk being sent: `index` and `at` outlive the attempt (a later attempt reconciles an
 * interrupted send from them); `released` says the attempt that took it has ended.
 */
export interface ChunkClaim {
  index: number;
  at: number;
  released: boolean;
  /** Released after an outcome that may hide an accepted message (timeout, 5xx, crash): look before resending. */
  ambiguous: boolean;
}

/**
 * Delivery progress of one reply (pk `REPLY#<account>#<replyId>`): the Twilio sid of every chunk accepted so far,
 * in order, and a claim on the chunk being sent, so a retry resumes at the first unsent chunk and can tell whether
 * an interrupted send may have gone out.
 */
export interface ReplyProgress {
  sids: string[];
  claim?: ChunkClaim;
  finalState?: ReplyFinalState;
  reason?: string;
}

export interface ClaimRequest {
  index: number;
  chunkCount: number;
  nowMs: number;
  /** A claim taken before this instant (and never released) belongs to an attempt presumed dead. */
  staleBeforeMs: number;
  /** Identifies this attempt, so it releases only its own claim. */
  owner: string;
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
    const items = await batchGetConsistent(this.db, this.tableName, [replyKey, recipientKey]);
    const replyItem = items.find((item) => item.pk?.S === replyKey.pk.S && item.sk?.S === replyKey.sk.S);
    const claim = replyItem?.claim?.M;
    return {
      progress: {
        sids: (replyItem?.sids?.L ?? []).map((value) => value.S ?? ""),
        ...(claim
          ? {
              claim: {
                index: Number(claim.index?.N ?? 0),
                at: Number(claim.at?.N ?? 0),
                released: claim.released?.BOOL === true,
                // Unknown means uncertain: a claim written before this flag existed, or never released.
                ambiguous: claim.ambiguous?.BOOL !== false,
              },
            }
          : {}),
        ...(replyItem?.finalState?.S ? { finalState: replyItem.finalState.S as ReplyFinalState } : {}),
        ...(replyItem?.reason?.S ? { reason: replyItem.reason.S } : {}),
      },
      optedOut: items.some((item) => item.sk?.S === recipientKey.sk.S),
    };
  }

  /**
   * Takes the lease on chunk `index`. It fails (false) while another attempt holds a live claim, once the reply
   * has moved past `index` or has finished: two workers on one reply can never both send a chunk.
   */
  async claim(accountId: string, replyId: string, request: ClaimRequest): Promise<boolean> {
    const { index, chunkCount, nowMs, staleBeforeMs, owner } = request;
    const free = "(attribute_not_exists(#claim) OR #claim.#released = :true OR #claim.#at < :staleBefore)";
    const atIndex = index === 0 ? "(attribute_not_exists(sids) OR size(sids) = :index)" : "size(sids) = :index";
    try {
      await this.db.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: this.key(accountId, replyId),
          UpdateExpression: "SET #claim = :claim, chunkCount = :count, expiresAt = :expires",
          ConditionExpression: `${free} AND ${atIndex} AND attribute_not_exists(finalState)`,
          ExpressionAttributeNames: { "#claim": "claim", "#released": "released", "#at": "at" },
          ExpressionAttributeValues: {
            ":claim": {
              M: {
                index: { N: String(index) },
                at: { N: String(nowMs) },
                released: { BOOL: false },
                owner: { S: owner },
              },
            },
            ":count": { N: String(chunkCount) },
            ":expires": { N: String(Math.floor(nowMs / 1000) + REPLY_TTL_SECONDS) },
            ":true": { BOOL: true },
            ":staleBefore": { N: String(staleBeforeMs) },
            ":index": { N: String(index) },
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Ends `owner`'s lease but keeps its index and time, so the next attempt still looks for an interrupted send.
   * A claim another attempt has taken over meanwhile is left alone.
   */
  async releaseClaim(accountId: string, replyId: string, owner: string, ambiguous: boolean): Promise<void> {
    try {
      await this.db.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: this.key(accountId, replyId),
          UpdateExpression: "SET #claim.#released = :true, #claim.#ambiguous = :ambiguous",
          ConditionExpression: "#claim.#owner = :owner",
          ExpressionAttributeNames: {
            "#claim": "claim",
            "#released": "released",
            "#ambiguous": "ambiguous",
            "#owner": "owner",
          },
          ExpressionAttributeValues: {
            ":true": { BOOL: true },
            ":ambiguous": { BOOL: ambiguous },
            ":owner": { S: owner },
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
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

  /**
   * Counts one more attempt that ended in a transient failure and returns the total. Counted here rather than
   * from SQS's ApproximateReceiveCount, which also grows when a record is only skipped behind a failed one.
   */
  async recordFailedAttempt(accountId: string, replyId: string, reason: string, nowMs: number): Promise<number> {
    const result = await this.db.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: this.key(accountId, replyId),
        UpdateExpression: "SET attempts = if_not_exists(attempts, :zero) + :one, lastError = :reason, expiresAt = :exp",
        ExpressionAttributeValues: {
          ":zero": { N: "0" },
          ":one": { N: "1" },
          ":reason": { S: reason.slice(0, 1000) },
          ":exp": { N: String(Math.floor(nowMs / 1000) + REPLY_TTL_SECONDS) },
        },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    return Number(result.Attributes?.attempts?.N ?? "1");
  }

  /** A reply moved to the DLQ starts afresh if an operator redrives it. */
  async resetAttempts(accountId: string, replyId: string): Promise<void> {
    await this.db.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: this.key(accountId, replyId),
        UpdateExpression: "REMOVE attempts",
      }),
    );
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
