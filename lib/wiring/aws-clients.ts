import { sqsClient } from "../queue/sqs-client.ts";
import { dynamoClient } from "../store/dynamo-client.ts";
import { memo } from "./memo.ts";
import { traceAwsClient } from "./tracing.ts";

/** The handlers' DynamoDB and SQS clients, one each per container, traced when tracing is on. */
export const dynamo = memo(() => traceAwsClient(dynamoClient()));
export const sqs = memo(() => traceAwsClient(sqsClient()));
