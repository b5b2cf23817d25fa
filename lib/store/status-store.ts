import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { FAILED_STATUSES, isTerminalStatus, statusRank, TERMINAL_STATUSES } from "../twilio/message-status.ts";
import { batchGetConsistent } from "./batch-get.ts";

const STATUS_TTL_SECONDS = 30 * 24 * 3600;
/** BatchGetItem's limit on keys per request. */
const BATCH_GET_MAX_KEYS = 100;

export type StatusRecordOutcome = "recorded" | "ignored-late" | "duplicate" | "conflict-flagged";

/** The reply chunk a Twilio message was sent for. */
export interface ChunkOwner {
  accountId: string;
  replyId: string;
  chunk: number;
}

export interface StatusInput {
  messageSid: string;
  accountId: string;
  status: string;
  errorCode?: string;
  nowMs: number;
}

export interface SendRecord {
  messageSid: string;
  owner: ChunkOwner;
  /** What Twilio said about the message when it was created (or listed): accepted, queued ... */
  status: string;
  errorCode?: string;
  nowMs: number;
}

/** Parts of one UpdateItem: SET clauses, a condition, and the names and values they use. */
interface UpdateParts {
  set: string[];
  condition: string;
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
}

/**
 * One item per Twilio message sid (pk `MSG#<sid>`): its latest delivery status and, for messages this channel
 * sent, the reply chunk that owns it. Callbacks arrive out of order, so a status is written only when it ranks
 * above the stored one (lib/twilio/message-status.ts); two different terminal statuses are kept and flagged.
 */
export class StatusStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async read(
    messageSid: string,
  ): Promise<{ status: string; errorCode: string; conflictingStatus?: string } | undefined> {
    const result = await this.db.send(
      new GetItemCommand({ TableName: this.tableName, Key: this.key(messageSid), ConsistentRead: true }),
    );
    if (!result.Item?.status?.S) return undefined;
    return {
      status: result.Item.status.S,
      errorCode: result.Item.errorCode?.S ?? "",
      ...(result.Item.conflictingStatus?.S ? { conflictingStatus: result.Item.conflictingStatus.S } : {}),
    };
  }

  /** A status callback. */
  async record(input: StatusInput): Promise<StatusRecordOutcome> {
    if (await this.update(input.messageSid, statusParts(input))) return "recorded";
    if (!isTerminalStatus(input.status)) return "ignored-late";
    return this.flagConflict(input);
  }

  /**
   * Twilio accepted a chunk (or reconciliation found it): the message becomes that chunk's, with the status Twilio
   * gave, unless a callback already brought a newer one. Returns false when another reply or chunk owns it; the
   * same owner may record it again. One UpdateItem, two if a callback came first.
   */
  async recordSend(input: SendRecord): Promise<boolean> {
    const owner = ownerParts(input.owner, input.nowMs);
    const status = statusParts({ ...input, accountId: input.owner.accountId });
    if (await this.update(input.messageSid, merge(owner, status))) return true;
    return this.update(input.messageSid, owner);
  }

  /** The owners of those of `messageSids` this channel sent, in one consistent read per 100 sids. */
  async owners(messageSids: readonly string[]): Promise<Map<string, ChunkOwner>> {
    const owners = new Map<string, ChunkOwner>();
    for (let start = 0; start < messageSids.length; start += BATCH_GET_MAX_KEYS) {
      const keys = messageSids.slice(start, start + BATCH_GET_MAX_KEYS).map((sid) => this.key(sid));
      for (const item of await batchGetConsistent(this.db, this.tableName, keys)) {
        const sid = item.pk?.S?.slice("MSG#".length);
        const owner = readOwner(item);
        if (sid && owner) owners.set(sid, owner);
      }
    }
    return owners;
  }

  /** A second, different terminal status: keep the first, remember the conflict. `delivered` after `read` is not one. */
  private async flagConflict(input: StatusInput): Promise<StatusRecordOutcome> {
    const terminal = valueList("t", [...TERMINAL_STATUSES]);
    const notRead = input.status === "delivered" ? " AND #status <> :read" : "";
    const flagged = await this.update(input.messageSid, {
      set: ["conflictingStatus = :status", "conflictAt = :now"],
      condition: `#status IN (${terminal.refs}) AND #status <> :status${notRead}`,
      names: { "#status": "status" },
      values: {
        ":status": { S: input.status },
        ":now": { N: String(input.nowMs) },
        ...terminal.values,
        ...(notRead ? { ":read": { S: "read" } } : {}),
      },
    });
    return flagged ? "conflict-flagged" : "duplicate";
  }

  /** One conditional UpdateItem; false when its condition did not hold. */
  private async update(messageSid: string, parts: UpdateParts): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: this.key(messageSid),
          UpdateExpression: `SET ${parts.set.join(", ")}`,
          ConditionExpression: parts.condition,
          // DynamoDB refuses an empty names map.
          ...(Object.keys(parts.names).length > 0 ? { ExpressionAttributeNames: parts.names } : {}),
          ExpressionAttributeValues: parts.values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private key(messageSid: string) {
    return { pk: { S: `MSG#${messageSid}` }, sk: { S: "STATUS" } };
  }
}

/**
 * Writes the status if it ranks above the stored one. A failure (undelivered, failed, canceled) is never replaced.
 * An item written before ranks were stored (status, no rank) moves on to any known status unless it is terminal.
 */
function statusParts(input: StatusInput): UpdateParts {
  const rank = statusRank(input.status);
  const failed = valueList("f", [...FAILED_STATUSES]);
  const terminal = valueList("t", [...TERMINAL_STATUSES]);
  const unranked = rank > 0 ? ` OR (attribute_not_exists(#rank) AND NOT (#status IN (${terminal.refs})))` : "";
  return {
    set: [
      "#status = :status",
      "#rank = :rank",
      "#account = :account",
      "updatedAt = :now",
      "expiresAt = :expires",
      "errorCode = :error",
    ],
    condition: `attribute_not_exists(#status) OR (#rank < :rank AND NOT (#status IN (${failed.refs})))${unranked}`,
    names: { "#status": "status", "#rank": "statusRank", "#account": "account" },
    values: {
      ":status": { S: input.status },
      ":rank": { N: String(rank) },
      ":account": { S: input.accountId },
      ":now": { N: String(input.nowMs) },
      ":expires": { N: String(expiresAt(input.nowMs)) },
      ":error": { S: input.errorCode ?? "" },
      ...failed.values,
      ...(unranked ? terminal.values : {}),
    },
  };
}

/** Sets the owner if there is none yet or it is this very chunk. */
function ownerParts(owner: ChunkOwner, nowMs: number): UpdateParts {
  return {
    set: [
      "ownerAccount = :ownerAccount",
      "ownerReply = :ownerReply",
      "ownerChunk = :ownerChunk",
      "expiresAt = :expires",
    ],
    condition:
      "attribute_not_exists(ownerReply) OR (ownerAccount = :ownerAccount AND ownerReply = :ownerReply AND ownerChunk = :ownerChunk)",
    names: {},
    values: {
      ":ownerAccount": { S: owner.accountId },
      ":ownerReply": { S: owner.replyId },
      ":ownerChunk": { N: String(owner.chunk) },
      ":expires": { N: String(expiresAt(nowMs)) },
    },
  };
}

/** Both updates at once: every SET (later ones win a shared attribute), both conditions. */
function merge(a: UpdateParts, b: UpdateParts): UpdateParts {
  const set = new Map([...a.set, ...b.set].map((clause) => [clause.split(" = ")[0], clause]));
  return {
    set: [...set.values()],
    condition: `(${a.condition}) AND (${b.condition})`,
    names: { ...a.names, ...b.names },
    values: { ...a.values, ...b.values },
  };
}

function readOwner(item: Record<string, AttributeValue>): ChunkOwner | undefined {
  const accountId = item.ownerAccount?.S;
  const replyId = item.ownerReply?.S;
  const chunk = item.ownerChunk?.N;
  return accountId && replyId && chunk ? { accountId, replyId, chunk: Number(chunk) } : undefined;
}

/** `:p0, :p1, ...` placeholders for a list of strings, and their values. */
function valueList(prefix: string, strings: string[]): { refs: string; values: Record<string, AttributeValue> } {
  return {
    refs: strings.map((_, index) => `:${prefix}${index}`).join(", "),
    values: Object.fromEntries(strings.map((value, index) => [`:${prefix}${index}`, { S: value }])),
  };
}

function expiresAt(nowMs: number): number {
  return Math.floor(nowMs / 1000) + STATUS_TTL_SECONDS;
}
