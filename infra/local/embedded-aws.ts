import { once } from "node:events";
import type { Server } from "node:net";
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import dynalite from "dynalite";
import type { VisibilityTimeouts } from "./channel-queues.ts";
import { checkDynamoFolder } from "./dynamo-folder.ts";
import { type EmbeddedSqs, LOCAL_REGION, type QueueUrls, startEmbeddedSqs } from "./embedded-sqs.ts";

export { LOCAL_REGION, type QueueUrls } from "./embedded-sqs.ts";
export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

export interface EmbeddedAws {
  dynamoEndpoint: string;
  sqsEndpoint: string;
  tableName: string;
  queueUrls: QueueUrls;
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  /** Messages put back in the queues at start from the queue journal. */
  restoredMessages: number;
  /** Resolves with how many messages the queue journal keeps for the next start. */
  stop(): Promise<number>;
}

export interface EmbeddedAwsOptions {
  /** Folder for dynalite's data; in memory when absent. */
  dynamoPath?: string;
  /** Folder for the queue journal, which keeps every accepted message across a crash; in memory when absent. */
  queueJournalDir?: string;
  tableName?: string;
  queuePrefix?: string;
  /**
   * Seconds a received message stays invisible: short locally so retries are seen quickly (default 10), except that
   * the turns queue must outlast the agent's longest turn, as on AWS.
   */
  visibilityTimeoutSeconds?: VisibilityTimeouts;
  /** The SQS endpoint's port on 127.0.0.1; any free one when absent or 0. */
  sqsPort?: number;
}

/**
 * dynalite (DynamoDB protocol) and fauxqs (SQS protocol) in this process, with the same table and FIFO queues the
 * stack creates: the handlers talk to them through the real AWS SDK. Everything that can refuse to start (the
 * DynamoDB folder, the SQS port) is up before the queue journal is touched: re-queueing what it holds comes last.
 */
export async function startEmbeddedAws(options: EmbeddedAwsOptions = {}): Promise<EmbeddedAws> {
  const tableName = options.tableName ?? "sms-channel";
  if (options.dynamoPath) await checkDynamoFolder(options.dynamoPath);
  const dynamoServer: Server = dynalite({
    createTableMs: 0,
    ...(options.dynamoPath ? { path: options.dynamoPath } : {}),
  });
  const closeDynamo = () => new Promise<void>((resolve) => dynamoServer.close(() => resolve()));
  dynamoServer.listen(0, "127.0.0.1");
  await once(dynamoServer, "listening");
  const address = dynamoServer.address();
  if (address === null || typeof address === "string") throw new Error("dynalite did not report a TCP port");
  const dynamoEndpoint = `http://127.0.0.1:${address.port}`;

  const clientConfig = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const dynamo = new DynamoDBClient({ ...clientConfig, endpoint: dynamoEndpoint });
  let embeddedSqs: EmbeddedSqs;
  try {
    await ensureTable(dynamo, tableName);
    embeddedSqs = await startEmbeddedSqs({
      queuePrefix: options.queuePrefix ?? "sms-channel",
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 10,
      ...(options.queueJournalDir ? { journalDir: options.queueJournalDir } : {}),
      ...(options.sqsPort ? { port: options.sqsPort } : {}),
    });
  } catch (error) {
    dynamo.destroy();
    await closeDynamo();
    throw error;
  }
  const sqs = new SQSClient({ ...clientConfig, endpoint: embeddedSqs.endpoint, useQueueUrlAsEndpoint: false });

  return {
    dynamoEndpoint,
    sqsEndpoint: embeddedSqs.endpoint,
    tableName,
    queueUrls: embeddedSqs.queueUrls,
    dynamo,
    sqs,
    restoredMessages: embeddedSqs.restored,
    async stop() {
      dynamo.destroy();
      sqs.destroy();
      const kept = await embeddedSqs.stop();
      await closeDynamo();
      return kept;
    },
  };
}

/** The stack's table: pk/sk strings, on demand. dynalite never expires TTL items, so expiry is checked on read. */
async function ensureTable(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await dynamo.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
    }),
  );
}
