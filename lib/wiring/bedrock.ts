import { createBedrockChatModel } from "../agent/bedrock-chat-model.ts";
import { createBedrockRuntimeClient } from "../agent/bedrock-client.ts";
import type { ChatModel } from "../agent/chat-model.ts";
import type { RuntimeAgent } from "../config/agent-config.ts";
import { traceAwsClient } from "./tracing.ts";

/** A Bedrock connector for an account's agent, with the function's own credentials (its role on AWS). */
export function bedrockModelFor(agent: Extract<RuntimeAgent, { kind: "bedrock" }>): ChatModel {
  const client = traceAwsClient(createBedrockRuntimeClient(agent.region ? { region: agent.region } : {}));
  return createBedrockChatModel({ client, modelId: agent.modelId });
}
