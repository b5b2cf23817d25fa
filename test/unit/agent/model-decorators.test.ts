import { describe, expect, it } from "vitest";
import { type ChatModel, ModelError, type ModelRequest } from "../../../lib/agent/chat-model.ts";
import { loadedOnFirstUse, withKeyRefresh } from "../../../lib/agent/model-decorators.ts";

const REQUEST: ModelRequest = { system: "s", history: [], message: { text: "hi", images: [] }, user: "sms:default:+1" };
const failing = (error: Error): ChatModel => ({ answer: async () => Promise.reject(error) });

describe("withKeyRefresh", () => {
  it("turns a 401 into a retryable failure and forgets the cached key", async () => {
    let forgotten = 0;
    const model = withKeyRefresh(failing(new ModelError("terminal", "api.openai.com: HTTP 401", "401")), () => {
      forgotten++;
    });
    await expect(model.answer(REQUEST)).rejects.toMatchObject({ kind: "retryable", code: "401" });
    expect(forgotten).toBe(1);
  });

  it("leaves every other failure as it was", async () => {
    let forgotten = 0;
    const model = withKeyRefresh(failing(new ModelError("terminal", "HTTP 404", "404")), () => {
      forgotten++;
    });
    await expect(model.answer(REQUEST)).rejects.toMatchObject({ kind: "terminal", code: "404" });
    expect(forgotten).toBe(0);
  });
});

describe("loadedOnFirstUse", () => {
  it("loads the connector once, on the first call", async () => {
    let loads = 0;
    const model = loadedOnFirstUse(async () => {
      loads++;
      return { answer: async (request) => ({ text: `echo ${request.message.text}` }) };
    });
    expect(loads).toBe(0);
    expect(await model.answer(REQUEST)).toEqual({ text: "echo hi" });
    await model.answer(REQUEST);
    expect(loads).toBe(1);
  });

  it("tries a failed load again on the next call", async () => {
    let loads = 0;
    const model = loadedOnFirstUse(async () => {
      loads++;
      if (loads === 1) throw new Error("module failed to initialise");
      return { answer: async () => ({ text: "ok" }) };
    });
    await expect(model.answer(REQUEST)).rejects.toThrow("module failed to initialise");
    expect(await model.answer(REQUEST)).toEqual({ text: "ok" });
    expect(loads).toBe(2);
  });
});
