import type { ConverseCommandOutput } from "@aws-sdk/client-bedrock-runtime";
import { describe, expect, it } from "vitest";
import { converseAnswer, converseInput, converseMessages } from "../../../lib/agent/bedrock-request.ts";
import type { ChatMessage, ModelImage, ModelRequest } from "../../../lib/agent/chat-model.ts";

const PROFILE = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
const user = (text: string): ChatMessage => ({ role: "user", text });
const assistant = (text: string): ChatMessage => ({ role: "assistant", text });
const ask = (text: string, images: ModelImage[] = []) => ({ text, images });

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    system: "Answer by SMS.",
    history: [],
    message: ask("hello"),
    user: "sms:default:+15557654321",
    ...overrides,
  };
}

describe("converseInput", () => {
  it("puts the system prompt in `system`, then history oldest first, then the new message", () => {
    expect(converseInput(PROFILE, request({ history: [user("hi"), assistant("Hello!")] }))).toEqual({
      modelId: PROFILE,
      system: [{ text: "Answer by SMS." }],
      messages: [
        { role: "user", content: [{ text: "hi" }] },
        { role: "assistant", content: [{ text: "Hello!" }] },
        { role: "user", content: [{ text: "hello" }] },
      ],
    });
  });

  it("sends maxTokens as inferenceConfig only when set", () => {
    expect(converseInput(PROFILE, request({ maxTokens: 256 })).inferenceConfig).toEqual({ maxTokens: 256 });
    expect(converseInput(PROFILE, request())).not.toHaveProperty("inferenceConfig");
  });

  it("leaves a blank system prompt out (Converse refuses blank text)", () => {
    expect(converseInput(PROFILE, request({ system: "  " }))).not.toHaveProperty("system");
  });

  it("keeps the sender id out of the request (requestMetadata would put the number in invocation logs)", () => {
    expect(JSON.stringify(converseInput(PROFILE, request()))).not.toContain("+15557654321");
  });
});

describe("converseMessages: roles Converse accepts", () => {
  const roles = (history: ChatMessage[]) => converseMessages(history, ask("now")).map((m) => m.role);
  const texts = (history: ChatMessage[]) =>
    converseMessages(history, ask("now")).map((m) => m.content?.map((block) => block.text));

  it("drops an answer left first by the history window", () => {
    expect(texts([assistant("orphaned answer"), user("q"), assistant("a")])).toEqual([["q"], ["a"], ["now"]]);
  });

  it("drops every answer before the first question", () => {
    expect(roles([assistant("one"), assistant("two")])).toEqual(["user"]);
  });

  it("merges consecutive messages of one role, joined by a blank line", () => {
    expect(texts([user("unanswered"), user("again"), assistant("a"), assistant("b")])).toEqual([
      ["unanswered\n\nagain"],
      ["a\n\nb"],
      ["now"],
    ]);
  });

  it("merges a last unanswered question into the new message", () => {
    expect(texts([user("q"), assistant("a"), user("never answered")])).toEqual([
      ["q"],
      ["a"],
      ["never answered\n\nnow"],
    ]);
  });

  it("leaves blank messages out, then merges what they separated", () => {
    expect(texts([user("first"), assistant(" \n "), user("second")])).toEqual([["first\n\nsecond\n\nnow"]]);
  });

  it("always starts with the user and alternates, whatever the history", () => {
    const history = [assistant("a"), assistant(""), user("u"), user(" "), assistant("b"), user("v"), assistant("c")];
    expect(roles(history)).toEqual(["user", "assistant", "user", "assistant", "user"]);
  });
});

describe("converseMessages: images", () => {
  const png: ModelImage = { mediaType: "image/png", data: Uint8Array.from([1, 2, 3]) };
  const webp: ModelImage = { mediaType: "image/webp", data: Uint8Array.from([4, 5]) };

  it("puts image blocks, in order, before the text block, with Converse's format names", () => {
    const [message] = converseMessages([], ask("what is this?", [png, webp]));
    expect(message?.content).toEqual([
      { image: { format: "png", source: { bytes: png.data } } },
      { image: { format: "webp", source: { bytes: webp.data } } },
      { text: "what is this?" },
    ]);
  });

  it.each([
    ["image/jpeg", "jpeg"],
    ["image/png", "png"],
    ["image/gif", "gif"],
    ["image/webp", "webp"],
  ] as const)("maps %s to %s", (mediaType, format) => {
    const [message] = converseMessages([], ask("", [{ mediaType, data: Uint8Array.from([0]) }]));
    expect(message?.content?.[0]?.image?.format).toBe(format);
  });

  it("sends an image without text as the image alone", () => {
    const [message] = converseMessages([], ask(" ", [png]));
    expect(message?.content).toEqual([{ image: { format: "png", source: { bytes: png.data } } }]);
  });

  it("keeps the images of the new message when a last unanswered question is merged into it", () => {
    const messages = converseMessages([user("look")], ask("and now?", [png]));
    expect(messages).toEqual([
      {
        role: "user",
        content: [{ image: { format: "png", source: { bytes: png.data } } }, { text: "look\n\nand now?" }],
      },
    ]);
  });

  it("refuses a new message with neither text nor images, as terminal", () => {
    expect(() => converseMessages([user("q")], ask(" "))).toThrow(
      expect.objectContaining({ name: "ModelError", kind: "terminal", code: "EmptyMessage" }),
    );
  });
});

describe("converseAnswer", () => {
  const output = (content: unknown[]): ConverseCommandOutput =>
    ({
      output: { message: { role: "assistant", content } },
      stopReason: "end_turn",
      usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
      metrics: { latencyMs: 1 },
      $metadata: {},
    }) as ConverseCommandOutput;

  it("joins the text blocks as written", () => {
    expect(converseAnswer(output([{ text: "Hello " }, { text: "there." }]))).toEqual({ text: "Hello there." });
  });

  it("skips blocks that are not text", () => {
    const content = [{ reasoningContent: { reasoningText: { text: "hmm" } } }, { text: "Answer." }];
    expect(converseAnswer(output(content))).toEqual({ text: "Answer." });
  });

  it('is "" when no block is text', () => {
    expect(converseAnswer(output([]))).toEqual({ text: "" });
    expect(converseAnswer(output([{ toolUse: { toolUseId: "t", name: "n", input: {} } }]))).toEqual({ text: "" });
  });

  it("calls an answer without an output message malformed, and retryable", () => {
    const malformed = { stopReason: "end_turn", $metadata: {} } as unknown as ConverseCommandOutput;
    expect(() => converseAnswer(malformed)).toThrow(
      expect.objectContaining({ kind: "retryable", code: "MalformedResponse" }),
    );
  });
});
