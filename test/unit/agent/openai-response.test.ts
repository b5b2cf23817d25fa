import { describe, expect, it } from "vitest";
import { ModelError } from "../../../lib/agent/chat-model.ts";
import { readCompletion } from "../../../lib/agent/openai-response.ts";

const HOST = "gw.example";

function completionWith(message: unknown): string {
  return JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "m",
    choices: [{ index: 0, message, finish_reason: "stop" }],
  });
}

function failure(bodyText: string): ModelError {
  try {
    readCompletion(bodyText, HOST);
  } catch (error) {
    if (error instanceof ModelError) return error;
    throw error;
  }
  throw new Error("expected a ModelError");
}

describe("readCompletion", () => {
  it("reads choices[0].message.content as it is, markdown and reasoning blocks included", () => {
    const text = "<think>hmm</think>\n**Yes**, tomorrow.";
    expect(readCompletion(completionWith({ role: "assistant", content: text }), HOST)).toEqual({ text });
  });

  it("joins the text parts of an array content and leaves other parts out", () => {
    const content = [
      { type: "thinking", thinking: [{ type: "text", text: "secret reasoning" }] },
      { type: "text", text: "Hello " },
      { type: "text", text: "there." },
    ];
    expect(readCompletion(completionWith({ role: "assistant", content }), HOST).text).toBe("Hello there.");
  });

  it.each([
    ["null", { role: "assistant", content: null }],
    ["absent", { role: "assistant" }],
    ["empty", { role: "assistant", content: "" }],
  ])("answers an empty text when the content is %s", (_label, message) => {
    expect(readCompletion(completionWith(message), HOST).text).toBe("");
  });

  it("answers with OpenAI's refusal when the content is null", () => {
    const message = { role: "assistant", content: null, refusal: "I can't help with that." };
    expect(readCompletion(completionWith(message), HOST).text).toBe("I can't help with that.");
  });

  it.each([
    ["not JSON", "<html>502 Bad Gateway</html>", "invalid-json"],
    ["a JSON array", "[]", "invalid-json"],
    ["no choices", JSON.stringify({ id: "x", choices: [] }), "no-choices"],
    ["choices absent", JSON.stringify({ id: "x" }), "no-choices"],
    ["a choice without a message", JSON.stringify({ choices: [{ index: 0 }] }), "no-message"],
    ["a number as content", completionWith({ role: "assistant", content: 42 }), "bad-content"],
    ["an object as content", completionWith({ role: "assistant", content: { text: "hi" } }), "bad-content"],
  ])("is a retryable ModelError for %s", (_label, body, code) => {
    const error = failure(body);
    expect(error.kind).toBe("retryable");
    expect(error.code).toBe(code);
    expect(error.message).toContain(HOST);
  });

  it("never quotes the answer in its error message", () => {
    const error = failure(completionWith({ role: "assistant", content: { text: "the private answer" } }));
    expect(error.message).not.toContain("private answer");
  });
});
