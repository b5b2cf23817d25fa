import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ChatModel, ModelError, type ModelRequest } from "../../lib/agent/chat-model.ts";
import { createOpenAiChatModel, type OpenAiChatModelOptions } from "../../lib/agent/openai-chat-model.ts";
import { type OpenAiFault, type OpenAiStandIn, startOpenAiStandIn } from "../support/openai-stand-in.ts";

const MODEL = "llama3.2";
const KEY = "sk-test-0123456789abcdefghijklmnop";
const USER = "sms:default:+15557654321";
const SYSTEM = "You answer by SMS: plain text, brief.";
const QUESTION = "What time does the bakery open tomorrow?";
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);

let standIn: OpenAiStandIn;

function connector(options: Partial<OpenAiChatModelOptions> = {}): ChatModel {
  return createOpenAiChatModel({ baseUrl: standIn.baseUrl, model: MODEL, apiKey: async () => KEY, ...options });
}

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    system: SYSTEM,
    history: [
      { role: "user", text: "hi" },
      { role: "assistant", text: "Hello! How can I help?" },
    ],
    message: { text: QUESTION, images: [] },
    user: USER,
    ...overrides,
  };
}

async function modelError(promise: Promise<unknown>): Promise<ModelError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ModelError) return error;
    throw error;
  }
  throw new Error("expected a ModelError");
}

describe("the OpenAI-compatible connector against the stand-in", () => {
  beforeEach(async () => {
    standIn = await startOpenAiStandIn({ model: MODEL, apiKey: KEY });
  });

  afterEach(async () => {
    await standIn.close();
  });

  it("sends system, history oldest first, then the new message, with user and model, and returns the answer", async () => {
    const answer = await connector().answer(request({ maxTokens: 256 }));

    expect(answer).toEqual({ text: `Answer to: ${QUESTION}` });
    expect(standIn.requests.map((r) => r.rejection)).toEqual([null]);
    expect(standIn.chats()).toEqual([
      {
        model: MODEL,
        messages: [
          { role: "system", content: SYSTEM },
          { role: "user", content: "hi" },
          { role: "assistant", content: "Hello! How can I help?" },
          { role: "user", content: QUESTION },
        ],
        user: USER,
        max_tokens: 256,
      },
    ]);
  });

  it("posts JSON with the key as a Bearer token, to a base URL given with a trailing slash too", async () => {
    await connector({ baseUrl: `${standIn.baseUrl}/` }).answer(request());

    const [sent] = standIn.requests;
    expect(sent?.path).toBe("/v1/chat/completions");
    expect(sent?.method).toBe("POST");
    expect(sent?.headers["content-type"]).toBe("application/json");
    expect(sent?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("reads the key before every request, so a rotated key is used at once", async () => {
    let key = "sk-old-key-0000";
    const model = connector({ apiKey: async () => key });
    await modelError(model.answer(request()));
    key = KEY;
    await model.answer(request());
    expect(standIn.requests.map((r) => r.headers.authorization)).toEqual(["Bearer sk-old-key-0000", `Bearer ${KEY}`]);
  });

  it("gives each image to the model as a data URL, after the text", async () => {
    const images = [
      { mediaType: "image/png" as const, data: PNG },
      { mediaType: "image/jpeg" as const, data: JPEG },
    ];
    await connector().answer(request({ message: { text: "What is in these?", images } }));

    const content = standIn.chats()[0]?.messages.at(-1)?.content;
    expect(Array.isArray(content)).toBe(true);
    const parts = Array.isArray(content) ? content : [];
    expect(parts[0]).toEqual({ type: "text", text: "What is in these?" });
    const decoded = parts.slice(1).map((part) => {
      const match = part.type === "image_url" ? /^data:([^;]+);base64,(.+)$/.exec(part.image_url.url) : null;
      return { mediaType: match?.[1], data: new Uint8Array(Buffer.from(match?.[2] ?? "", "base64")) };
    });
    expect(decoded).toEqual(images);
  });

  it("answers '' when the model says nothing (content null), which is not an error", async () => {
    standIn.injectFault({ kind: "null-content" });
    expect(await connector().answer(request())).toEqual({ text: "" });
  });

  it("joins an answer given as text parts", async () => {
    standIn.setResponder(() => [
      { type: "text", text: "Opens at " },
      { type: "text", text: "7 am." },
    ]);
    expect(await connector().answer(request())).toEqual({ text: "Opens at 7 am." });
  });

  describe("faults", () => {
    const retryable: ReadonlyArray<readonly [string, OpenAiFault, string]> = [
      ["429 rate limit", { kind: "http", status: 429 }, "429"],
      ["500 server error", { kind: "http", status: 500 }, "500"],
      ["503 overloaded", { kind: "http", status: 503 }, "503"],
      ["malformed JSON", { kind: "malformed-json" }, "invalid-json"],
      ["no choices", { kind: "no-choices" }, "no-choices"],
      ["a number as content", { kind: "completion", body: { choices: [{ message: { content: 7 } }] } }, "bad-content"],
      ["a dropped connection", { kind: "drop" }, "network"],
    ];

    it.each(retryable)("%s is a retryable ModelError", async (_label, fault, code) => {
      standIn.injectFault(fault);
      const error = await modelError(connector().answer(request()));
      expect(error).toMatchObject({ kind: "retryable", code });
    });

    it("a 429 says what OpenAI said and when to come back", async () => {
      standIn.injectFault({ kind: "http", status: 429, retryAfterSeconds: 7 });
      const error = await modelError(connector().answer(request()));
      expect(error.message).toBe(
        `${new URL(standIn.url).host} answered HTTP 429 (rate_limit_exceeded): ` +
          "Rate limit reached for requests. Please try again in 1s. (retry after 7 s)",
      );
    });

    it.each([400, 401, 403, 404, 422])("HTTP %i is a terminal ModelError with the status as code", async (status) => {
      standIn.injectFault({ kind: "http", status });
      const error = await modelError(connector().answer(request()));
      expect(error).toMatchObject({ kind: "terminal", code: String(status) });
    });

    it("a redirect is not followed (the POST would lose its body or carry the key elsewhere): terminal", async () => {
      // Followed, this redirect would land on the stand-in itself and get an answer.
      const location = `${standIn.baseUrl}/chat/completions`;
      standIn.injectFault({ kind: "http", status: 307, headers: { location } });
      const error = await modelError(connector().answer(request()));
      expect(error).toMatchObject({ kind: "terminal", code: "307" });
      expect(standIn.requests).toHaveLength(1);
    });

    it("a model that does not answer in time is a retryable timeout", async () => {
      standIn.injectFault({ kind: "timeout" });
      const error = await modelError(connector({ timeoutMs: 200 }).answer(request()));
      expect(error).toMatchObject({ kind: "retryable", code: "timeout" });
      expect(error.message).toContain("did not answer within 200 ms");
    });

    it("recovers once the fault is spent: two 500s, then an answer", async () => {
      standIn.injectFault({ kind: "http", status: 500, times: 2 });
      const model = connector();
      await modelError(model.answer(request()));
      await modelError(model.answer(request()));
      expect(await model.answer(request())).toEqual({ text: `Answer to: ${QUESTION}` });
    });

    it("an unreachable endpoint is a retryable network error", async () => {
      // The replacement starts before the old one closes, so it cannot take over the closed port.
      const closed = standIn;
      standIn = await startOpenAiStandIn({ model: MODEL });
      await closed.close();
      const error = await modelError(connector({ baseUrl: closed.baseUrl }).answer(request()));
      expect(error).toMatchObject({ kind: "retryable", code: "network" });
    });
  });

  describe("what the stand-in refuses, the connector reports as terminal", () => {
    it("a wrong key: 401, and the key is not in the message", async () => {
      const error = await modelError(connector({ apiKey: async () => "sk-wrong-key-9876543210" }).answer(request()));
      expect(error).toMatchObject({ kind: "terminal", code: "401" });
      expect(error.message).toContain("invalid_api_key");
      expect(error.message).not.toContain("sk-wrong-key-9876543210");
      expect(standIn.chats()).toEqual([]);
    });

    it("no key at all: 401, and no Authorization header was sent", async () => {
      const error = await modelError(connector({ apiKey: async () => undefined }).answer(request()));
      expect(error).toMatchObject({ kind: "terminal", code: "401" });
      expect(standIn.requests[0]?.headers.authorization).toBeUndefined();
    });

    it("a model the server does not serve: 404 model_not_found", async () => {
      const error = await modelError(connector({ model: "gpt-nonexistent" }).answer(request()));
      expect(error).toMatchObject({ kind: "terminal", code: "404" });
      expect(error.message).toContain("model_not_found");
    });
  });

  it("never puts the key, the prompt or the answer in an error message, whatever the server echoes", async () => {
    const echo = `key ${KEY} system ${SYSTEM} asked ${QUESTION} history Hello! How can I help?`;
    const faults: OpenAiFault[] = [
      { kind: "http", status: 401, message: echo },
      { kind: "http", status: 429, message: echo },
      { kind: "http", status: 500, message: echo },
      { kind: "completion", body: { choices: [{ message: { content: { text: "secret answer" } } }] } },
      { kind: "malformed-json" },
      { kind: "timeout" },
    ];
    const messages: string[] = [];
    for (const fault of faults) {
      standIn.injectFault(fault);
      messages.push((await modelError(connector({ timeoutMs: 200 }).answer(request()))).message);
    }
    for (const message of messages) {
      for (const secret of [KEY, SYSTEM, QUESTION, "Hello! How can I help?", "secret answer"]) {
        expect(message).not.toContain(secret);
      }
    }
    expect(messages[0]).toContain("[redacted]");
  });
});

describe("the connector without a key, against a server that wants none (Ollama)", () => {
  beforeEach(async () => {
    standIn = await startOpenAiStandIn({ model: MODEL });
  });

  afterEach(async () => {
    await standIn.close();
  });

  it.each([
    ["undefined", undefined],
    ["an empty string", ""],
  ])("sends no Authorization header when the key is %s", async (_label, key) => {
    const answer = await connector({ apiKey: async () => key }).answer(request());
    expect(answer.text).toBe(`Answer to: ${QUESTION}`);
    expect(standIn.requests[0]?.headers).not.toHaveProperty("authorization");
  });

  it("a key that cannot be read is a retryable ModelError naming the secret, not its value", async () => {
    const error = await modelError(
      connector({
        apiKey: async () => {
          throw new Error("secret env:OPENAI_API_KEY is not set");
        },
      }).answer(request()),
    );
    expect(error).toMatchObject({ kind: "retryable", code: "api-key" });
    expect(error.message).toContain("env:OPENAI_API_KEY");
    expect(standIn.requests).toEqual([]);
  });
});

describe("the stand-in refuses requests that break the protocol or the channel's contract", () => {
  beforeEach(async () => {
    standIn = await startOpenAiStandIn({ model: MODEL, apiKey: KEY });
  });

  afterEach(async () => {
    await standIn.close();
  });

  const valid = {
    model: MODEL,
    messages: [
      { role: "system", content: SYSTEM },
      { role: "user", content: QUESTION },
    ],
    user: USER,
  };

  async function post(body: unknown, init: { path?: string; headers?: Record<string, string>; method?: string } = {}) {
    const response = await fetch(`${standIn.url}${init.path ?? "/v1/chat/completions"}`, {
      method: init.method ?? "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", ...init.headers },
      ...(init.method === "GET" ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: response.status,
      body: (await response.json()) as { error?: { message: string; param: unknown } },
    };
  }

  it("accepts the valid request the other cases break", async () => {
    expect((await post(valid)).status).toBe(200);
  });

  it.each([
    ["no user field", { ...valid, user: undefined }, "user"],
    ["an empty user field", { ...valid, user: "" }, "user"],
    ["no messages", { ...valid, messages: [] }, "messages"],
    ["no system message", { ...valid, messages: [{ role: "user", content: "hi" }] }, "messages.[0]"],
    [
      "a second system message",
      {
        ...valid,
        messages: [
          { role: "system", content: "a" },
          { role: "system", content: "b" },
          { role: "user", content: "c" },
        ],
      },
      "messages.[1]",
    ],
    [
      "the assistant last",
      { ...valid, messages: [...valid.messages, { role: "assistant", content: "x" }] },
      "messages.[2]",
    ],
    [
      "a tool message",
      { ...valid, messages: [valid.messages[0], { role: "tool", content: "x" }, valid.messages[1]] },
      "messages.[1]",
    ],
    [
      "an image by http URL",
      {
        ...valid,
        messages: [
          valid.messages[0],
          { role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/cat.png" } }] },
        ],
      },
      "messages.[1]",
    ],
    [
      "an image with broken base64",
      {
        ...valid,
        messages: [
          valid.messages[0],
          { role: "user", content: [{ type: "image_url", image_url: { url: "data:image/png;base64,abc" } }] },
        ],
      },
      "messages.[1]",
    ],
    ["an unknown parameter", { ...valid, maxTokens: 10 }, "maxTokens"],
    ["max_tokens that is not a positive integer", { ...valid, max_tokens: 0 }, "max_tokens"],
    ["a streaming request", { ...valid, stream: true }, "stream"],
  ])("400 for %s", async (_label, body, param) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.body.error?.param).toBe(param);
    expect(standIn.requests.at(-1)?.rejection?.message).toBe(response.body.error?.message);
  });

  it("400 for a body that is not JSON or not sent as JSON", async () => {
    const notJson = await fetch(`${standIn.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: "{",
    });
    expect(notJson.status).toBe(400);
    expect((await post(valid, { headers: { "content-type": "text/plain" } })).status).toBe(400);
  });

  it("401 without the key, 404 for another path or model, 405 for another method", async () => {
    expect((await post(valid, { headers: { authorization: "Bearer nope" } })).status).toBe(401);
    expect((await post(valid, { path: "/v1/completions" })).status).toBe(404);
    expect((await post({ ...valid, model: "other" })).status).toBe(404);
    expect((await post(valid, { method: "GET" })).status).toBe(405);
    expect(standIn.chats()).toEqual([]);
  });

  it("does not spend a fault on a refused request", async () => {
    standIn.injectFault({ kind: "http", status: 500 });
    expect((await post({ ...valid, user: undefined })).status).toBe(400);
    expect((await post(valid)).status).toBe(500);
    expect((await post(valid)).status).toBe(200);
  });

  it("answers in OpenAI's chat.completion shape", async () => {
    const response = await fetch(`${standIn.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify(valid),
    });
    expect(await response.json()).toEqual({
      id: expect.stringMatching(/^chatcmpl-/),
      object: "chat.completion",
      created: expect.any(Number),
      model: MODEL,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: `Answer to: ${QUESTION}`, refusal: null },
          logprobs: null,
          finish_reason: "stop",
        },
      ],
      usage: {
        prompt_tokens: expect.any(Number),
        completion_tokens: expect.any(Number),
        total_tokens: expect.any(Number),
      },
    });
  });
});
