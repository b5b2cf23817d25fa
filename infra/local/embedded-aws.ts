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
import { startFauxqs } from "fauxqs";
import { type QueueSnapshot, requeue, savedMessages } from "./queue-snapshot.ts";

export const LOCAL_REGION = "us-east-1";
export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

export interface QueueUrls {
  turns: string;
  turnsDlq: string;
  replies: string;
  repliesDlq: string;
}

export interface EmbeddedAws {
  dynamoEndpoint: string;
  sqsEndpoint: string;
  tableName: string;
  queueUrls: QueueUrls;
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  /** What every queue still holds; fauxqs keeps queues in memory, so the local gateway saves this at shutdown. */
  snapshotQueues(): QueueSnapshot;
  restoreQueues(snapshot: QueueSnapshot): Promise<number>;
  stop(): Promise<void>;
}

export interface EmbeddedAwsOptions {
  /** Folder for dynalite's data; in memory when absent. */
  dynamoPath?: string;
  tableName?: string;
  queuePrefix?: string;
  /** Seconds a received message stays invisible; short locally so retries are seen quickly. */
  visibilityTimeoutSeconds?: number;
}

/**
 * dynalite (DynamoDB protocol) and fauxqs (SQS protocol) in this process, with the same table and FIFO queues the
 * stack creates: the handlers talk to them through the real AWS SDK.
 */
export async function startEmbeddedAws(options: EmbeddedAwsOptions = {}): Promise<EmbeddedAws> {
  const tableName = options.tableName ?? "sms-channel";
  const prefix = options.queuePrefix ?? "sms-channel";
  const visibility = String(options.visibilityTimeoutSeconds ?? 10);

  const dynamoServer: Server = dynalite({
    createTableMs: 0,
    ...(options.dynamoPath ? { path: options.dynamoPath } : {}),
  });
  dynamoServer.listen(0, "127.0.0.1");
  await once(dynamoServer, "listening");
  const address = dynamoServer.address();
  if (address === null || typeof address === "string") throw new Error("dynalite did not report a TCP port");
  const dynamoEndpoint = `http://127.0.0.1:${address.port}`;

  const fauxqs = await startFauxqs({ port: 0, host: "127.0.0.1", logger: false, defaultRegion: LOCAL_REGION });
  const fifo = (name: string, extra: Record<string, string> = {}) =>
    fauxqs.createQueue(`${prefix}-${name}.fifo`, {
      attributes: { FifoQueue: "true", ContentBasedDeduplication: "false", VisibilityTimeout: visibility, ...extra },
    });
  const turnsDlq = fifo("turns-dlq");
  const repliesDlq = fifo("replies-dlq");
  const redrive = (arn: string, maxReceiveCount: number) =>
    JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: String(maxReceiveCount) });
  const turns = fifo("turns", { RedrivePolicy: redrive(turnsDlq.queueArn, 5) });
  const replies = fifo("replies", { RedrivePolicy: redrive(repliesDlq.queueArn, 100) });

  const queues = { turns, turnsDlq, replies, repliesDlq };
  const clientConfig = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const dynamo = new DynamoDBClient({ ...clientConfig, endpoint: dynamoEndpoint });
  const sqs = new SQSClient({ ...clientConfig, endpoint: fauxqs.address, useQueueUrlAsEndpoint: false });
  await ensureTable(dynamo, tableName);

  return {
    dynamoEndpoint,
    sqsEndpoint: fauxqs.address,
    tableName,
    queueUrls: {
      turns: turns.queueUrl,
      turnsDlq: turnsDlq.queueUrl,
      replies: replies.queueUrl,
      repliesDlq: repliesDlq.queueUrl,
    },
    dynamo,
    sqs,
    snapshotQueues() {
      return Object.fromEntries(
        Object.entries(queues).map(([role, queue]) => [role, savedMessages(fauxqs.inspectQueue(queue.queueName))]),
      );
    },
    async restoreQueues(snapshot) {
      let count = 0;
      for (const [role, messages] of Object.entries(snapshot)) {
        const queue = queues[role as keyof typeof queues];
        if (!queue || messages.length === 0) continue;
        await requeue(sqs, queue.queueUrl, messages);
        count += messages.length;
      }
      return count;
    },
    async stop() {
      dynamo.destroy();
      sqs.destroy();
      await fauxqs.stop();
      await new Promise<void>((resolve) => dynamoServer.close(() => resolve()));
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
