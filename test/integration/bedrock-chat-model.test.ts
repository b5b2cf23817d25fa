/**
 * The Bedrock connector through the real `@aws-sdk/client-bedrock-runtime` client, over HTTP, against the Converse
 * stand-in: what reaches the service (path, signing scope, body), what comes back, and how every failure is judged.
 */
import { type BedrockRuntimeClient, ConverseCommand, type Message } from "@aws-sdk/client-bedrock-runtime";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createBedrockChatModel } from "../../lib/agent/bedrock-chat-model.ts";
import { createBedrockRuntimeClient } from "../../lib/agent/bedrock-client.ts";
import { type ChatModel, ModelError, type ModelRequest } from "../../lib/agent/chat-model.ts";
import type { ConverseBody } from "../support/bedrock-converse-checks.ts";
import {
  type BedrockFault,
  type BedrockStandIn,
  type RecordedConverse,
  recordedImages,
  startBedrockStandIn,
} from "../support/bedrock-stand-in.ts";

const REGION = "us-east-1";
const CREDENTIALS = { accessKeyId: "AKIASTANDINEXAMPLE", secretAccessKey: "stand-in-secret-access-key" };
const HAIKU_PROFILE = "us.anthropic.claude-3-5-haiku-20241022-v1:0";

let standIn: BedrockStandIn;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  standIn = await startBedrockStandIn();
  client = createBedrockRuntimeClient({ region: REGION, endpoint: standIn.url, credentials: CREDENTIALS });
});

afterEach(() => {
  standIn.clearFaults();
  standIn.requests.length = 0;
  vi.unstubAllEnvs();
});

afterAll(async () => {
  client.destroy();
  await standIn.close();
});

function model(modelId = HAIKU_PROFILE, onClient = client): ChatModel {
  return createBedrockChatModel({ client: onClient, modelId });
}

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    system: "You answer by SMS.",
    history: [],
    message: { text: "how are you?", images: [] },
    user: "sms:default:+15557654321",
    ...overrides,
  };
}

function onlyRequest(): RecordedConverse & { body: ConverseBody } {
  expect(standIn.requests).toHaveLength(1);
  return standIn.requests[0] as RecordedConverse & { body: ConverseBody };
}

async function failure(promise: Promise<unknown>): Promise<ModelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

describe("Bedrock Converse through the real SDK client", () => {
  it("sends system, history and the new message, signed for bedrock in the region, and returns the answer", async () => {
    const answer = await model().answer(
      request({
        history: [
          { role: "user", text: "hi" },
          { role: "assistant", text: "Hello! How can I help?" },
        ],
        maxTokens: 300,
      }),
    );

    expect(answer).toEqual({ text: "You said: how are you?" });
    const sent = onlyRequest();
    expect(sent.signing).toEqual({ region: REGION, service: "bedrock" });
    expect(sent.body).toEqual({
      system: [{ text: "You answer by SMS." }],
      messages: [
        { role: "user", content: [{ text: "hi" }] },
        { role: "assistant", content: [{ text: "Hello! How can I help?" }] },
        { role: "user", content: [{ text: "how are you?" }] },
      ],
      inferenceConfig: { maxTokens: 300 },
    });
  });

  it.each([
    ["a model id", "anthropic.claude-3-haiku-20240307-v1:0"],
    ["an inference profile id", HAIKU_PROFILE],
    ["an inference profile ARN", `arn:aws:bedrock:us-east-1:123456789012:inference-profile/${HAIKU_PROFILE}`],
    ["a foundation model ARN", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"],
  ])("puts %s into the path as one encoded segment", async (_label, modelId) => {
    await model(modelId).answer(request());

    const sent = onlyRequest();
    expect(sent.modelId).toBe(modelId);
    expect(sent.path).toBe(`/model/${encodeURIComponent(modelId)}/converse`);
    expect(sent.path).not.toMatch(/:/);
  });

  it("gives images to the model as bytes, before the text", async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255, 0, 1]);
    const jpeg = Uint8Array.from({ length: 3000 }, (_, i) => (i * 37) % 256);

    await model().answer(
      request({
        message: {
          text: "what is this?",
          images: [
            { mediaType: "image/png", data: png },
            { mediaType: "image/jpeg", data: jpeg },
          ],
        },
      }),
    );

    const content = onlyRequest().body.messages.at(-1)?.content ?? [];
    expect(recordedImages(content)).toEqual([
      { format: "png", bytes: Buffer.from(png) },
      { format: "jpeg", bytes: Buffer.from(jpeg) },
    ]);
    expect(content.map((block) => Object.keys(block)[0])).toEqual(["image", "image", "text"]);
  });

  it("sends an image without a caption as the image alone", async () => {
    const gif = Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]);

    await model().answer(request({ message: { text: "", images: [{ mediaType: "image/gif", data: gif }] } }));

    const content = onlyRequest().body.messages.at(-1)?.content ?? [];
    expect(content).toEqual([{ image: { format: "gif", source: { bytes: Buffer.from(gif).toString("base64") } } }]);
  });

  it("turns a history Bedrock would refuse into one it accepts", async () => {
    const answer = await model().answer(
      request({
        history: [
          { role: "assistant", text: "an answer whose question fell out of the window" },
          { role: "user", text: "first" },
          { role: "assistant", text: "   " },
          { role: "user", text: "second, never answered" },
          { role: "assistant", text: "reply" },
          { role: "user", text: "third, never answered" },
        ],
      }),
    );

    expect(answer.text).toBe("You said: third, never answered\n\nhow are you?");
    expect(onlyRequest().body.messages).toEqual([
      { role: "user", content: [{ text: "first\n\nsecond, never answered" }] },
      { role: "assistant", content: [{ text: "reply" }] },
      { role: "user", content: [{ text: "third, never answered\n\nhow are you?" }] },
    ]);
  });

  it("refuses a message with nothing in it before sending anything", async () => {
    const error = await failure(model().answer(request({ message: { text: " ", images: [] } })));

    expect(error).toMatchObject({ kind: "terminal", code: "EmptyMessage" });
    expect(standIn.requests).toHaveLength(0);
  });

  it("honours AWS_ENDPOINT_URL_BEDROCK_RUNTIME when no endpoint is given", async () => {
    vi.stubEnv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", standIn.url);
    const fromEnv = createBedrockRuntimeClient({ region: REGION, credentials: CREDENTIALS });
    try {
      expect(await model(HAIKU_PROFILE, fromEnv).answer(request())).toEqual({ text: "You said: how are you?" });
      expect(onlyRequest().modelId).toBe(HAIKU_PROFILE);
    } finally {
      fromEnv.destroy();
    }
  });
});

describe("the answer", () => {
  async function answerTo(content: unknown[]): Promise<string> {
    const custom = await startBedrockStandIn({ responder: () => ({ content }) });
    const customClient = createBedrockRuntimeClient({ region: REGION, endpoint: custom.url, credentials: CREDENTIALS });
    try {
      return (await model(HAIKU_PROFILE, customClient).answer(request())).text;
    } finally {
      customClient.destroy();
      await custom.close();
    }
  }

  it("is every text block joined as written, without reasoning", async () => {
    const content = [
      { reasoningContent: { reasoningText: { text: "the user greets me", signature: "sig" } } },
      { text: "Fine, " },
      { text: "thanks!" },
    ];
    expect(await answerTo(content)).toBe("Fine, thanks!");
  });

  it('is "" when the model wrote no text', async () => {
    expect(await answerTo([])).toBe("");
  });
});

describe("failures", () => {
  it.each<[string, BedrockFault, "retryable" | "terminal", string]>([
    ["throttling (429)", { kind: "error", type: "ThrottlingException" }, "retryable", "ThrottlingException"],
    [
      "a model not ready (429)",
      { kind: "error", type: "ModelNotReadyException" },
      "retryable",
      "ModelNotReadyException",
    ],
    ["a model timeout (408)", { kind: "error", type: "ModelTimeoutException" }, "retryable", "ModelTimeoutException"],
    [
      "an internal error (500)",
      { kind: "error", type: "InternalServerException" },
      "retryable",
      "InternalServerException",
    ],
    [
      "an unavailable service (503)",
      { kind: "error", type: "ServiceUnavailableException" },
      "retryable",
      "ServiceUnavailableException",
    ],
    [
      "a quota for now (400)",
      { kind: "error", type: "ServiceQuotaExceededException" },
      "retryable",
      "ServiceQuotaExceededException",
    ],
    [
      "a model-side 503 (424)",
      { kind: "error", type: "ModelErrorException", fields: { originalStatusCode: 503, resourceName: "model" } },
      "retryable",
      "ModelErrorException",
    ],
    [
      "a model-side 400 (424)",
      { kind: "error", type: "ModelErrorException", fields: { originalStatusCode: 400, resourceName: "model" } },
      "terminal",
      "ModelErrorException",
    ],
    ["a validation error (400)", { kind: "error", type: "ValidationException" }, "terminal", "ValidationException"],
    ["no access (403)", { kind: "error", type: "AccessDeniedException" }, "terminal", "AccessDeniedException"],
    [
      "an unknown resource (404)",
      { kind: "error", type: "ResourceNotFoundException" },
      "terminal",
      "ResourceNotFoundException",
    ],
    ["a 200 without output", { kind: "no-output" }, "retryable", "MalformedResponse"],
  ])("%s is %s, tried once", async (_label, fault, kind, code) => {
    standIn.injectFault(fault);

    const error = await failure(model().answer(request()));

    expect(error).toMatchObject({ kind, code });
    expect(standIn.requests).toHaveLength(1);
  });

  it("a 200 whose body is not JSON is retryable", async () => {
    standIn.injectFault({ kind: "malformed-json" });

    expect(await failure(model().answer(request()))).toMatchObject({ kind: "retryable", code: "MalformedResponse" });
  });

  it("a dropped connection is retryable", async () => {
    standIn.injectFault({ kind: "drop" });

    expect(await failure(model().answer(request()))).toMatchObject({ kind: "retryable", code: "ECONNRESET" });
    expect(standIn.requests).toHaveLength(1);
  });

  it("no answer within the request timeout is retryable", async () => {
    standIn.injectFault({ kind: "hang" });
    const impatient = createBedrockRuntimeClient({
      region: REGION,
      endpoint: standIn.url,
      credentials: CREDENTIALS,
      requestTimeoutMs: 200,
    });
    try {
      expect(await failure(model(HAIKU_PROFILE, impatient).answer(request()))).toMatchObject({
        kind: "retryable",
        code: "ETIMEDOUT",
      });
    } finally {
      impatient.destroy();
    }
  });

  it("an endpoint nobody listens on is retryable", async () => {
    const gone = await startBedrockStandIn();
    await gone.close();
    const nowhere = createBedrockRuntimeClient({ region: REGION, endpoint: gone.url, credentials: CREDENTIALS });
    try {
      expect(await failure(model(HAIKU_PROFILE, nowhere).answer(request()))).toMatchObject({
        kind: "retryable",
        code: "ECONNREFUSED",
      });
    } finally {
      nowhere.destroy();
    }
  });

  it("quotes Bedrock's message without the conversation, the sender or the answer", async () => {
    const sent = request({ history: [{ role: "assistant", text: "a secret earlier answer" }] });
    standIn.injectFault({
      kind: "error",
      type: "ValidationException",
      message: `Bad input near "how are you?" from ${sent.user} after "a secret earlier answer"; check the model id.`,
    });

    const error = await failure(model().answer(sent));

    expect(error.kind).toBe("terminal");
    expect(error.message).toContain("ValidationException (HTTP 400)");
    expect(error.message).toContain("check the model id");
    for (const text of ["how are you?", "+15557654321", "a secret earlier answer"]) {
      expect(error.message).not.toContain(text);
    }
  });
});

describe("the stand-in refuses what Bedrock refuses", () => {
  async function refusal(messages: unknown[], modelId = HAIKU_PROFILE): Promise<unknown> {
    return client
      .send(new ConverseCommand({ modelId, messages: messages as Message[] }))
      .then(() => "accepted")
      .catch((error: unknown) => error);
  }

  it.each([
    [
      "a conversation starting with the assistant",
      [{ role: "assistant", content: [{ text: "hi" }] }],
      /start with a user/,
    ],
    [
      "roles that do not alternate",
      [
        { role: "user", content: [{ text: "one" }] },
        { role: "user", content: [{ text: "two" }] },
      ],
      /must alternate/,
    ],
    ["blank text", [{ role: "user", content: [{ text: " " }] }], /is blank/],
    ["no content", [{ role: "user", content: [] }], /is empty/],
    [
      "an image format Bedrock does not take",
      [{ role: "user", content: [{ image: { format: "bmp", source: { bytes: Uint8Array.from([1]) } } }] }],
      /enum value set: \[png, jpeg, gif, webp\]/,
    ],
  ])("%s", async (_label, messages, message) => {
    expect(await refusal(messages)).toMatchObject({
      name: "ValidationException",
      message: expect.stringMatching(message),
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("an unknown model id", async () => {
    const picky = await startBedrockStandIn({ models: [HAIKU_PROFILE] });
    const pickyClient = createBedrockRuntimeClient({ region: REGION, endpoint: picky.url, credentials: CREDENTIALS });
    try {
      const error = await failure(model("anthropic.claude-nonexistent-v1:0", pickyClient).answer(request()));
      expect(error).toMatchObject({ kind: "terminal", code: "ValidationException" });
      expect(error.message).toContain("The provided model identifier is invalid.");
    } finally {
      pickyClient.destroy();
      await picky.close();
    }
  });
});
