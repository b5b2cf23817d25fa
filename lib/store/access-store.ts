import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import {
  type AccessState,
  ATTR,
  expiredPending,
  minuteOf,
  type PendingRequest,
  staleRateAttributes,
} from "../access/access-state.ts";
import { accessKey, decodeAccessItem, ExpressionNames } from "./access-item-codec.ts";

/** Cap on stale counters removed per write, to keep the expression small. */
const MAX_REMOVALS_PER_WRITE = 25;

export class AccessStore {
  /** Stale counter names seen in this container's last read, removed by its next write. */
  private readonly staleByAccount = new Map<string, string[]>();

  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /**
   * The hot path: counts the message against the sender's and the account's minute windows and returns the whole
   * access state, in one UpdateItem. While the account is at its per-minute limit nothing is written (the update's
   * condition fails) and the answer is "over the account limit": so a flood cannot grow the item.
   */
  async countAndRead(
    accountId: string,
    sender: string,
    nowMs: number,
    accountLimitPerMinute: number,
  ): Promise<AccessState | "over-account-limit"> {
    const names = new ExpressionNames();
    const minute = minuteOf(nowMs);
    const accountCounter = names.ref(ATTR.accountRate(minute));
    const removals = (this.staleByAccount.get(accountId) ?? []).map((name) => names.ref(name));
    const expression = `ADD ${accountCounter} :one, ${names.ref(ATTR.senderRate(minute, sender))} :one${
      removals.length > 0 ? ` REMOVE ${removals.join(", ")}` : ""
    }`;
    try {
      const result = await this.db.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: accessKey(accountId),
          UpdateExpression: expression,
          ConditionExpression: `attribute_not_exists(${accountCounter}) OR ${accountCounter} < :limit`,
          ExpressionAttributeNames: names.names,
          ExpressionAttributeValues: { ":one": { N: "1" }, ":limit": { N: String(accountLimitPerMinute) } },
          ReturnValues: "ALL_NEW",
        }),
      );
      const state = decodeAccessItem(result.Attributes);
      this.rememberStale(accountId, state, nowMs);
      return state;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return "over-account-limit";
      throw error;
    }
  }

  async read(accountId: string, nowMs: number): Promise<AccessState> {
    const result = await this.db.send(
      new GetItemCommand({ TableName: this.tableName, Key: accessKey(accountId), ConsistentRead: true }),
    );
    const state = decodeAccessItem(result.Item);
    this.rememberStale(accountId, state, nowMs);
    return state;
  }

  /**
   * Adds a pairing request if nobody changed the pending set since `seen` was read; expired requests go in the same
   * write. Returns false on a concurrent change so the caller can re-read and decide again.
   */
  async addPairingRequest(
    accountId: string,
    request: PendingRequest,
    seen: AccessState,
    nowMs: number,
  ): Promise<boolean> {
    const names = new ExpressionNames();
    // The sender's own expired request is overwritten by the SET; naming it in REMOVE too would overlap paths.
    const removals = expiredPending(seen, nowMs)
      .filter((expired) => expired.phone !== request.phone)
      .map((expired) => names.ref(ATTR.pending(expired.phone)));
    const pending = names.ref(ATTR.pending(request.phone));
    return this.updatePendingSet(accountId, seen, names, {
      set: `${pending} = :request`,
      remove: removals,
      values: {
        ":request": { M: { code: { S: request.code }, createdAt: { N: String(request.createdAt) } } },
      },
    });
  }

  /** Moves a pending sender to approved (or just approves a number when `pending` is absent). */
  async approve(
    accountId: string,
    phone: string,
    via: "pairing" | "admin",
    seen: AccessState,
    nowMs: number,
  ): Promise<boolean> {
    const names = new ExpressionNames();
    const approved = names.ref(ATTR.approved(phone));
    const removals = seen.pending.some((request) => request.phone === phone) ? [names.ref(ATTR.pending(phone))] : [];
    return this.updatePendingSet(accountId, seen, names, {
      set: `${approved} = :entry`,
      remove: removals,
      values: { ":entry": { M: { at: { N: String(nowMs) }, via: { S: via } } } },
    });
  }

  async removePending(accountId: string, phone: string, seen: AccessState): Promise<boolean> {
    const names = new ExpressionNames();
    return this.updatePendingSet(accountId, seen, names, { remove: [names.ref(ATTR.pending(phone))], values: {} });
  }

  async revoke(accountId: string, phone: string): Promise<boolean> {
    const names = new ExpressionNames();
    const approved = names.ref(ATTR.approved(phone));
    try {
      await this.db.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: accessKey(accountId),
          UpdateExpression: `REMOVE ${approved}`,
          ConditionExpression: `attribute_exists(${approved})`,
          ExpressionAttributeNames: names.names,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async updatePendingSet(
    accountId: string,
    seen: AccessState,
    names: ExpressionNames,
    change: {
      set?: string;
      remove: string[];
      values: Record<string, { M: Record<string, { S: string } | { N: string }> }>;
    },
  ): Promise<boolean> {
    const version = names.ref(ATTR.pendingVersion);
    const sets = [`${version} = if_not_exists(${version}, :zero) + :one`, ...(change.set ? [change.set] : [])];
    const expression = `SET ${sets.join(", ")}${change.remove.length > 0 ? ` REMOVE ${change.remove.join(", ")}` : ""}`;
    const condition =
      seen.pendingVersion === undefined ? `attribute_not_exists(${version})` : `${version} = :seenVersion`;
    try {
      await this.db.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: accessKey(accountId),
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeNames: names.names,
          ExpressionAttributeValues: {
            ...change.values,
            ":zero": { N: "0" },
            ":one": { N: "1" },
            ...(seen.pendingVersion === undefined ? {} : { ":seenVersion": { N: String(seen.pendingVersion) } }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private rememberStale(accountId: string, state: AccessState, nowMs: number): void {
    this.staleByAccount.set(accountId, staleRateAttributes(state, nowMs).slice(0, MAX_REMOVALS_PER_WRITE));
  }
}
