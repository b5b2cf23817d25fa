/**
 * Real protocol emulators for integration tests: dynalite (DynamoDB) and fauxqs (SQS), each in process on a free
 * port, with the channel's table and its four FIFO queues created the way the stack creates them.
 */

import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { startFauxqs } from "fauxqs";

export interface Emulators {
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  tableName: string;
  queueUrls: { turns: string; turnsDlq: string; replies: string; repliesDlq: string };
  dynamoEndpoint: string;
  sqsEndpoint: string;
  stop(): Promise<void>;
}

/** dynalite ships no types; this is the part of its API used here. */
type DynaliteFactory = (options: { createTableMs?: number; deleteTableMs?: number; path?: string }) => Server;
const dynalite = createRequire(import.meta.url)("dynalite") as DynaliteFactory;

const REGION = "us-east-1";
const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
/** Same as the stack: replies get two more receives than the outbound function's own give-up count. */
const REPLIES_MAX_RECEIVE_COUNT = 7;
const TURNS_MAX_RECEIVE_COUNT = 5;

export async function startEmulators(): Promise<Emulators> {
  const dynamoServer = dynalite({ createTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    dynamoServer.once("error", reject);
    dynamoServer.listen(0, "127.0.0.1", () => resolve());
  });
  const dynamoEndpoint = `http://127.0.0.1:${(dynamoServer.address() as AddressInfo).port}`;
  const sqsServer = await startFauxqs({ port: 0, logger: false });
  const sqsEndpoint = `http://127.0.0.1:${sqsServer.port}`;

  const dynamo = new DynamoDBClient({ endpoint: dynamoEndpoint, region: REGION, credentials: CREDENTIALS });
  const sqs = new SQSClient({ endpoint: sqsEndpoint, region: REGION, credentials: CREDENTIALS });
  const tableName = `sms-channel-${Date.now().toString(36)}`;
  await createTable(dynamo, tableName);

  const fifo = (name: string, attributes: Record<string, string> = {}) =>
    sqsServer.createQueue(name, {
      region: REGION,
      attributes: { FifoQueue: "true", ContentBasedDeduplication: "false", ...attributes },
    });
  const redrive = (dlqArn: string, maxReceiveCount: number) => ({
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
  });
  const turnsDlq = fifo("turns-dlq.fifo");
  const turns = fifo("turns.fifo", redrive(turnsDlq.queueArn, TURNS_MAX_RECEIVE_COUNT));
  const repliesDlq = fifo("replies-dlq.fifo");
  const replies = fifo("replies.fifo", redrive(repliesDlq.queueArn, REPLIES_MAX_RECEIVE_COUNT));

  return {
    dynamo,
    sqs,
    tableName,
    queueUrls: {
      turns: turns.queueUrl,
      turnsDlq: turnsDlq.queueUrl,
      replies: replies.queueUrl,
      repliesDlq: repliesDlq.queueUrl,
    },
    dynamoEndpoint,
    sqsEndpoint,
    async stop() {
      dynamo.destroy();
      sqs.destroy();
      await sqsServer.stop();
      await new Promise<void>((resolve, reject) => dynamoServer.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

async function createTable(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  await dynamo.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === "ACTIVE") return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
