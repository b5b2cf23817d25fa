import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { embeddedEngineSettings } from "../aws/embedded-engine-settings.ts";

/**
 * One client per container. The endpoint comes from the SDK's standard settings (AWS_ENDPOINT_URL_DYNAMODB points
 * it at dynalite locally), so the handlers cannot tell the two apart.
 */
let shared: DynamoDBClient | undefined;

export function dynamoClient(): DynamoDBClient {
  shared ??= new DynamoDBClient(embeddedEngineSettings());
  return shared;
}
