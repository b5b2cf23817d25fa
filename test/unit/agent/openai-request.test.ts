import { describe, expect, it } from "vitest";
import type { ModelRequest } from "../../../lib/agent/chat-model.ts";
import { chatCompletionsBody, chatCompletionsUrl, imageDataUrl } from "../../../lib/agent/openai-request.ts";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    system: "You answer by SMS.",
    history: [
      { role: "user", text: "first question" },
      { role: "assistant", text: "first answer" },
      { role: "user", text: "second question" },
      { role: "assistant", text: "second answer" },
    ],
    message: { text: "third question", images: [] },
    user: "sms:default:+15557654321",
    ...overrides,
  };
}

describe("chatCompletionsUrl", () => {
  it.each([
    ["http://127.0.0.1:11434/v1", "http://127.0.0.1:11434/v1/chat/completions"],
    ["http://127.0.0.1:11434/v1/", "http://127.0.0.1:11434/v1/chat/completions"],
    ["https://api.openai.com/v1//", "https://api.openai.com/v1/chat/completions"],
    ["https://gw.example/v1", "https://gw.example/v1/chat/completions"],
  ])("%s -> %s", (baseUrl, url) => {
    expect(chatCompletionsUrl(baseUrl)).toBe(url);
  });
});

describe("chatCompletionsBody", () => {
  it("sends the system message first, the history oldest first, then the new message as plain text", () => {
    const body = chatCompletionsBody("llama3.2", request());
    expect(body).toEqual({
      model: "llama3.2",
      messages: [
        { role: "system", content: "You answer by SMS." },
        { role: "user", content: "first question" },
        { role: "assistant", content: "first answer" },
        { role: "user", content: "second question" },
        { role: "assistant", content: "second answer" },
        { role: "user", content: "third question" },
      ],
      user: "sms:default:+15557654321",
    });
  });

  it("sends only the system message and the new one without history", () => {
    const body = chatCompletionsBody("m", request({ history: [] }));
    expect(body.messages.map((message) => message.role)).toEqual(["system", "user"]);
  });

  it("sends max_tokens only when a limit is set", () => {
    expect(chatCompletionsBody("m", request({ maxTokens: 300 })).max_tokens).toBe(300);
    expect(Object.keys(chatCompletionsBody("m", request()))).not.toContain("max_tokens");
    expect(Object.keys(chatCompletionsBody("m", request()))).not.toContain("max_completion_tokens");
  });

  it("turns images into a text part followed by one data-URL part per image, in order", () => {
    const images = [
      { mediaType: "image/png" as const, data: PNG },
      { mediaType: "image/jpeg" as const, data: JPEG },
    ];
    const body = chatCompletionsBody("m", request({ message: { text: "what is this?", images } }));
    expect(body.messages.at(-1)).toEqual({
      role: "user",
      content: [
        { type: "text", text: "what is this?" },
        { type: "image_url", image_url: { url: `data:image/png;base64,${Buffer.from(PNG).toString("base64")}` } },
        { type: "image_url", image_url: { url: `data:image/jpeg;base64,${Buffer.from(JPEG).toString("base64")}` } },
      ],
    });
    // Earlier messages stay plain strings: only the new message carries images.
    expect(body.messages.slice(0, -1).every((message) => typeof message.content === "string")).toBe(true);
  });

  it("leaves out an empty text part when the message is only images", () => {
    const body = chatCompletionsBody(
      "m",
      request({ message: { text: "", images: [{ mediaType: "image/gif", data: PNG }] } }),
    );
    const content = body.messages.at(-1)?.content;
    expect(Array.isArray(content) && content.map((part) => part.type)).toEqual(["image_url"]);
  });

  it("keeps texts exactly as given (no trimming, markdown and unicode intact)", () => {
    const text = "  **bold** café 👋\nline two  ";
    const body = chatCompletionsBody("m", request({ message: { text, images: [] }, history: [] }));
    expect(body.messages.at(-1)?.content).toBe(text);
  });
});

describe("imageDataUrl", () => {
  it("encodes the bytes as base64 under the image's media type, decoding back to the same bytes", () => {
    const url = imageDataUrl({ mediaType: "image/webp", data: PNG });
    const match = /^data:image\/webp;base64,(.+)$/.exec(url);
    expect(match).not.toBeNull();
    expect(new Uint8Array(Buffer.from(match?.[1] ?? "", "base64"))).toEqual(PNG);
  });
});
