import { SQSClient } from "@aws-sdk/client-sqs";

let shared: SQSClient | undefined;

/** Endpoint from AWS_ENDPOINT_URL_SQS when set (fauxqs locally): its queue URLs do not name a real host. */
export function sqsClient(): SQSClient {
  shared ??= new SQSClient({});
  return shared;
}
