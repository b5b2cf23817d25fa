import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { isTerminalStatus, TERMINAL_STATUSES } from "../twilio/message-status.ts";

const STATUS_TTL_SECONDS = 30 * 24 * 3600;

export type StatusRecordOutcome = "recorded" | "ignored-late" | "duplicate" | "conflict-flagged";

/**
 * Delivery statuses per message sid. Callbacks arrive out of order, so a terminal status is never replaced by a
 * later non-terminal one; two different terminal statuses are kept and flagged for the operator.
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

  private key(messageSid: string) {
    return { pk: { S: `MSG#${messageSid}` }, sk: { S: "STATUS" } };
  }

  async record(input: {
    messageSid: string;
    accountId: string;
    status: string;
    errorCode?: string;
    nowMs: number;
  }): Promise<StatusRecordOutcome> {
    const key = this.key(input.messageSid);
    const terminal = [...TERMINAL_STATUSES];
    const terminalRefs = terminal.map((_, index) => `:t${index}`);
    const values = {
      ":status": { S: input.status },
      ":account": { S: input.accountId },
      ":now": { N: String(input.nowMs) },
      ":expires": { N: String(Math.floor(input.nowMs / 1000) + STATUS_TTL_SECONDS) },
      ":error": { S: input.errorCode ?? "" },
      ...Object.fromEntries(terminal.map((status, index) => [`:t${index}`, { S: status }])),
    };
    try {
      await this.db.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression:
            "SET #status = :status, #account = :account, updatedAt = :now, expiresAt = :expires, errorCode = :error",
          ConditionExpression: `attribute_not_exists(#status) OR NOT (#status IN (${terminalRefs.join(", ")}))`,
          ExpressionAttributeNames: { "#status": "status", "#account": "account" },
          ExpressionAttributeValues: values,
        }),
      );
      return "recorded";
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    if (!isTerminalStatus(input.status)) return "ignored-late";
    // A second, different terminal status: keep the first, remember the conflict.
    try {
      await this.db.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: "SET conflictingStatus = :status, conflictAt = :now",
          ConditionExpression: "#status <> :status",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":status": { S: input.status }, ":now": { N: String(input.nowMs) } },
        }),
      );
      return "conflict-flagged";
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return "duplicate";
      throw error;
    }
  }
}
