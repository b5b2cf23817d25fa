import { SQSClient } from "@aws-sdk/client-sqs";
import { embeddedEngineSettings } from "../aws/embedded-engine-settings.ts";

let shared: SQSClient | undefined;

/**
 * One client per container. With AWS_ENDPOINT_URL_SQS set (fauxqs locally) the endpoint is explicit: fauxqs's queue
 * URLs (`http://sqs.<region>.127.0.0.1:<port>/...`) do not name a reachable host, so the SDK must not route by them.
 */
export function sqsClient(): SQSClient {
  shared ??= new SQSClient({
    ...embeddedEngineSettings(),
    ...(process.env.AWS_ENDPOINT_URL_SQS ? { useQueueUrlAsEndpoint: false } : {}),
  });
  return shared;
}
