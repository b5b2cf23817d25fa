import { type ChatModel, ModelError } from "./chat-model.ts";

/**
 * A 401 right after an API key was rotated (or first put into its secret) comes from a cached old key: the cache is
 * dropped and the call counts as retryable, so the next attempt, a backoff later, reads the new key.
 */
export function withKeyRefresh(model: ChatModel, forgetKey: () => void): ChatModel {
  return {
    async answer(request) {
      try {
        return await model.answer(request);
      } catch (error) {
        if (!(error instanceof ModelError) || error.code !== "401") throw error;
        forgetKey();
        throw new ModelError("retryable", `${error.message} (the API key is read again for the next attempt)`, "401");
      }
    },
  };
}

/**
 * A connector built on first use, so a deployment that never calls it never loads its client at cold start. A load
 * that failed is tried again on the next call rather than failing every turn for the life of the container.
 */
export function loadedOnFirstUse(load: () => Promise<ChatModel>): ChatModel {
  let loaded: Promise<ChatModel> | undefined;
  return {
    async answer(request) {
      loaded ??= load().catch((error: unknown) => {
        loaded = undefined;
        throw error;
      });
      return (await loaded).answer(request);
    },
  };
}
