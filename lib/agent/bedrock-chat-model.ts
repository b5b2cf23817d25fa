/**
 * The ChatModel for Amazon Bedrock, through the Converse API: one non-streaming ConverseCommand per answer.
 * Retries are the caller's job; this says, through ModelError's kind, whether one is worth it.
 */
import {
  type BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandOutput,
} from "@aws-sdk/client-bedrock-runtime";
import { bedrockModelError } from "./bedrock-errors.ts";
import { converseAnswer, converseInput } from "./bedrock-request.ts";
import type { ChatModel } from "./chat-model.ts";
import { conversationTexts } from "./model-error-text.ts";

export interface BedrockChatModelOptions {
  /** From createBedrockRuntimeClient (it sets the timeout and the HTTP handler). */
  client: BedrockRuntimeClient;
  /**
   * A model id (anthropic.claude-3-haiku-20240307-v1:0), an inference profile id
   * (us.anthropic.claude-3-5-haiku-20241022-v1:0) or the ARN of either; the SDK encodes it into the path.
   */
  modelId: string;
}

export function createBedrockChatModel(options: BedrockChatModelOptions): ChatModel {
  return {
    async answer(request) {
      // Built first: a message with nothing to send fails here, before any request.
      const input = converseInput(options.modelId, request);
      let output: ConverseCommandOutput;
      try {
        output = await options.client.send(new ConverseCommand(input));
      } catch (error) {
        throw bedrockModelError(error, conversationTexts(request));
      }
      return converseAnswer(output);
    },
  };
}
