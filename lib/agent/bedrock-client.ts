/**
 * The Bedrock Runtime client the Bedrock connector uses. Region and credentials come from the ordinary AWS chain
 * (AWS_REGION, the Lambda role, a profile) unless given; the endpoint from `endpoint`, else the standard
 * AWS_ENDPOINT_URL_BEDROCK_RUNTIME (or AWS_ENDPOINT_URL), which the SDK reads itself (service id "Bedrock Runtime").
 */
import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { DEFAULT_MODEL_TIMEOUT_MS } from "../config/agent-config.ts";

export interface BedrockClientOptions {
  /** The Region the request is sent to (an inference profile's source Region). Default: the SDK's chain. */
  region?: string;
  /** Overrides AWS_ENDPOINT_URL_BEDROCK_RUNTIME (tests, a VPC endpoint). */
  endpoint?: string;
  /** Default: the SDK's chain. */
  credentials?: BedrockRuntimeClientConfig["credentials"];
  /** Deadline for one attempt, connection to last byte. Default 60 s. */
  requestTimeoutMs?: number;
  /**
   * Attempts the SDK itself makes (it retries throttling, 5xx and timeouts). Default 1: the turn processing owns
   * retries and their backoff, and one attempt keeps a call within the agent function's time budget.
   */
  maxAttempts?: number;
}

export function createBedrockRuntimeClient(options: BedrockClientOptions = {}): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? 1,
    // HTTP/1.1, not the HTTP/2 handler this client defaults to since 3.798 (there for bidirectional streaming,
    // which Converse does not use): HTTP/2 sessions have failed with "http2 request did not get a response" behind
    // proxies (aws/aws-sdk-js-v3#7041), and only the HTTP/1.1 handler has a whole-request deadline. Its
    // requestTimeout merely logs a warning unless throwOnRequestTimeout is set.
    requestHandler: new NodeHttpHandler({
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    }),
  });
}
