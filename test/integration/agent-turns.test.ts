import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type AgentDeps, answerTurn } from "../../lib/agent/answer-turn.ts";
import { ModelError } from "../../lib/agent/chat-model.ts";
import { withoutMessages } from "../../lib/agent/conversation.ts";
import { DEFAULT_SYSTEM_PROMPT } from "../../lib/agent/system-prompt.ts";
import { silentLog } from "../../lib/log/log.ts";
import type { Reply } from "../../lib/queue/messages.ts";
import { ConversationStore } from "../../lib/store/conversation-store.ts";
import { makeTurn, ScriptedModel } from "../support/agent-fixtures.ts";
import { type Harness, startHarness } from "../support/flow-harness.ts";
import { RecordedMetrics } from "../support/recorded-metrics.ts";

const SID = `AC${"2".repeat(32)}`;
const OWNER = "+15557654321";

const turn = makeTurn;

describe("agent turns: memory, exactly once, failures (dynalite)", () => {
  let h: Harness;
  let model: ScriptedModel;
  let published: Reply[];
  let failPublish: boolean;
  let deps: AgentDeps;
  let conversations: ConversationStore;

  beforeAll(async () => {
    h = await startHarness({
      accountSid: SID,
      authToken: "t",
      fromNumber: "+15551234567",
      dmPolicy: "allowlist",
      allowFrom: [OWNER],
      agent: { kind: "openai", baseUrl: "http://127.0.0.1:9/v1", model: "m", history: 4, failureReply: "Sorry!" },
      accounts: { quiet: { fromNumber: "+15559990000", agent: { kind: "echo" } } },
    });
    conversations = new ConversationStore(h.aws.dynamo, h.aws.tableName);
  });
  afterAll(() => h.stop());
  beforeEach(() => {
    model = new ScriptedModel();
    published = [];
    failPublish = false;
    deps = {
      config: h.runtime,
      conversations,
      modelFor: () => model,
      prepareMedia: async () => ({ images: [], lines: [] }),
      publishReply: async (reply) => {
        if (failPublish) {
          failPublish = false;
          throw new Error("SQS unavailable");
        }
        published.push(reply);
      },
      now: () => h.clock.now,
      log: silentLog,
      metrics: h.metrics,
      maxAttempts: 3,
    };
  });

  it("asks the model with the SMS system prompt and the sender's id, and queues the answer as a reply", async () => {
    const t = turn("hello");
    expect(await answerTurn({ ...t, from: "+15550000001" }, deps)).toEqual({
      kind: "answered",
      replyId: `agent:${t.turnId}`,
    });
    expect(model.requests[0]).toEqual({
      system: DEFAULT_SYSTEM_PROMPT,
      history: [],
      message: { text: "hello", images: [] },
      user: "sms:default:+15550000001",
    });
    expect(published).toEqual([
      expect.objectContaining({
        replyId: `agent:${t.turnId}`,
        to: "+15550000001",
        text: "Answer to: hello",
        inReplyTo: t.turnId,
      }),
    ]);
  });

  it("a conversation: the third request carries the first two exchanges, oldest first", async () => {
    const from = "+15550000002";
    for (const text of ["one", "two", "three"]) await answerTurn(turn(text, { from }), deps);
    expect(model.requests[2]?.history).toEqual([
      { role: "user", text: "one" },
      { role: "assistant", text: "Answer to: one" },
      { role: "user", text: "two" },
      { role: "assistant", text: "Answer to: two" },
    ]);
  });

  it("history is bounded by the account's setting (4 messages here)", async () => {
    const from = "+15550000003";
    for (const text of ["a", "b", "c", "d"]) await answerTurn(turn(text, { from }), deps);
    expect(model.requests[3]?.history.map((message) => message.text)).toEqual([
      "b",
      "Answer to: b",
      "c",
      "Answer to: c",
    ]);
  });

  it("a redelivered answered turn neither asks the model nor makes a second reply (same replyId again)", async () => {
    const t = turn("once", { from: "+15550000004" });
    await answerTurn(t, deps);
    h.clock.now += 10 * 60_000; // past SQS's 5-minute dedupe window
    expect(await answerTurn(t, deps)).toEqual({ kind: "already-answered" });
    expect(model.requests).toHaveLength(1);
    expect(new Set(published.map((reply) => reply.replyId)).size).toBe(1);
  });

  it("a crash between saving the answer and queueing it: the redelivery queues the saved answer, no model call", async () => {
    const t = turn("crash", { from: "+15550000005" });
    failPublish = true;
    await expect(answerTurn(t, deps)).rejects.toThrow("SQS unavailable");
    await answerTurn(t, deps);
    expect(model.requests).toHaveLength(1);
    expect(published.map((reply) => reply.text)).toEqual(["Answer to: crash"]);
  });

  it("two concurrent deliveries of one turn make one reply", async () => {
    const t = turn("twice", { from: "+15550000006" });
    await Promise.all([answerTurn(t, deps), answerTurn(t, deps)]);
    // The loser finds the turn answered and queues the same reply again: same replyId, so one SMS.
    expect(new Set(published.filter((reply) => reply.inReplyTo === t.turnId).map((reply) => reply.replyId))).toEqual(
      new Set([`agent:${t.turnId}`]),
    );
  });

  it("retryable failures are retried; after the last attempt the sender gets the failure reply", async () => {
    const t = turn("flaky", { from: "+15550000007" });
    model.script = [new ModelError("retryable", "500"), new ModelError("retryable", "429")];
    expect(await answerTurn(t, deps, 1)).toMatchObject({ kind: "retry-later", attempts: 1 });
    expect(await answerTurn(t, deps, 2)).toMatchObject({ kind: "retry-later", attempts: 2 });
    model.script = [new ModelError("retryable", "timeout")];
    expect(await answerTurn(t, deps, 3)).toMatchObject({
      kind: "failed",
      reason: expect.stringMatching(/gave up after 3/),
    });
    expect(published.map((reply) => [reply.replyId, reply.text])).toEqual([[`agent-failed:${t.turnId}`, "Sorry!"]]);
    expect(model.requests).toHaveLength(3);
    // Delivered again (a crash before it reached the DLQ): the same notice (same replyId, sent once), no model call.
    expect(await answerTurn(t, deps, 4)).toMatchObject({ kind: "failed", reason: expect.stringMatching(/earlier/) });
    expect(model.requests).toHaveLength(3);
    expect(published.map((reply) => reply.replyId)).toEqual([`agent-failed:${t.turnId}`, `agent-failed:${t.turnId}`]);
    // Redriven from the DLQ (a new message: first receive) after the operator fixed the endpoint: asked afresh.
    expect(await answerTurn(t, deps, 1)).toMatchObject({ kind: "answered" });
    expect(published.map((reply) => reply.replyId).at(-1)).toBe(`agent:${t.turnId}`);
    // And once answered, a further redrive changes nothing.
    expect(await answerTurn(t, deps, 1)).toEqual({ kind: "already-answered" });
    expect(model.requests).toHaveLength(4);
  });

  it("a replay weeks later finds the turn answered and sends nothing (its reply record at the outbound side is gone)", async () => {
    const t = turn("old", { from: "+15550000014" });
    await answerTurn(t, deps);
    h.clock.now += 20 * 24 * 3600 * 1000;
    published = [];
    expect(await answerTurn(t, deps)).toEqual({ kind: "already-answered" });
    expect(published).toEqual([]);
    expect(model.requests).toHaveLength(1);
  });

  it("one very long answer is remembered by its start and does not push the rest of the memory out", async () => {
    const from = "+15550000015";
    model.script = ["short", "x".repeat(19_000)];
    await answerTurn(turn("q1", { from }), deps);
    await answerTurn(turn("q2", { from }), deps);
    await answerTurn(turn("q3", { from }), deps);
    const history = model.requests[2]?.history ?? [];
    expect(history.map((message) => message.text.length)).toEqual([2, 5, 2, 4001]);
  });

  it("memory stays within DynamoDB's item limit whatever the text (bytes, not characters)", async () => {
    const from = "+15550000016";
    const heavy = "\u0001🚀".repeat(6_000);
    model.script = [heavy, heavy, heavy, heavy];
    for (const text of [heavy, heavy, heavy, heavy]) await answerTurn(turn(text, { from }), deps);
    const item = await h.aws.dynamo.send(
      new GetItemCommand({ TableName: h.aws.tableName, Key: { pk: { S: `CONV#default#${from}` }, sk: { S: "CONV" } } }),
    );
    const bytes = Object.values(item.Item ?? {}).reduce(
      (sum, value) => sum + Buffer.byteLength(value.S ?? value.N ?? ""),
      0,
    );
    expect(bytes).toBeLessThan(300_000);
    expect(published).toHaveLength(4);
  });

  it("an empty failureReply sends nothing, and the turn still goes to the DLQ as failed", async () => {
    const silent = {
      ...deps,
      config: {
        ...h.runtime,
        accounts: h.runtime.accounts.map((account) =>
          account.agent.kind === "openai" ? { ...account, agent: { ...account.agent, failureReply: "" } } : account,
        ),
      },
    };
    model.script = [new ModelError("terminal", "404 no such model")];
    expect(await answerTurn(turn("x", { from: "+15550000013" }), silent)).toMatchObject({ kind: "failed" });
    expect(published).toEqual([]);
  });

  it("a refused request fails at once", async () => {
    model.script = [new ModelError("terminal", "401 bad key")];
    expect(await answerTurn(turn("x", { from: "+15550000008" }), deps)).toMatchObject({
      kind: "failed",
      reason: expect.stringMatching(/refused the request: 401 bad key/),
    });
  });

  it("counts turns by outcome, the model's latency and its failures by reason (for the operator's metrics)", async () => {
    const metrics = new RecordedMetrics();
    const counted = { ...deps, metrics };
    const from = "+15550000018";
    model.script = ["fine", new ModelError("terminal", "404 no such model", "404")];
    await answerTurn(turn("how are you?", { from }), counted);
    await answerTurn(turn("and now?", { from }), counted);
    expect(metrics.events.map(({ name, breakdown }) => ({ name, ...breakdown }))).toEqual([
      { name: "ModelLatency" },
      { name: "Turns", outcome: "answered" },
      { name: "ModelFailures", reason: "404" },
      { name: "Turns", outcome: "failed" },
    ]);
    expect(metrics.events.every((event) => event.account === "default")).toBe(true);
    expect(metrics.events[0]?.unit).toBe("Milliseconds");
  });

  it("a reasoning model's <think> block is neither sent nor remembered; nothing but reasoning sends nothing", async () => {
    const from = "+15550000017";
    model.script = ["<think>The user greets me. Keep it short.</think>\n\nHi there!", "<think>nothing to say</think>"];
    const first = turn("hello", { from });
    await answerTurn(first, deps);
    expect(published.map((reply) => reply.text)).toEqual(["Hi there!"]);
    expect(await answerTurn(turn("and?", { from }), deps)).toEqual({ kind: "answered" });
    expect(published).toHaveLength(1);
    await answerTurn(turn("still there?", { from }), deps);
    expect(model.requests[2]?.history).toEqual([
      { role: "user", text: "hello" },
      { role: "assistant", text: "Hi there!" },
      { role: "user", text: "and?" },
      { role: "assistant", text: "" },
    ]);
  });

  it("an empty answer sends nothing but still counts as answered", async () => {
    model.script = [""];
    const t = turn("say nothing", { from: "+15550000009" });
    expect(await answerTurn(t, deps)).toEqual({ kind: "answered" });
    expect(published).toEqual([]);
    expect(await answerTurn(t, deps)).toEqual({ kind: "already-answered" });
  });

  it("the echo agent answers without a model, once", async () => {
    const t = turn("hi", { account: "quiet", turnId: "quiet:SMx", from: "+15550000010" });
    expect(await answerTurn(t, deps)).toEqual({ kind: "answered", replyId: "echo:quiet:SMx" });
    expect(await answerTurn(t, deps)).toEqual({ kind: "already-answered" });
    expect(new Set(published.map((reply) => `${reply.replyId} ${reply.text}`))).toEqual(
      new Set(['echo:quiet:SMx You said: "hi"']),
    );
    expect(model.requests).toEqual([]);
  });

  it("clearing the memory keeps the record of answered turns", async () => {
    const from = "+15550000011";
    const t = turn("remember me", { from });
    await answerTurn(t, deps);
    const stored = await conversations.read("default", from, h.clock.now);
    expect(await conversations.save("default", from, withoutMessages(stored), h.clock.now)).toBe(true);
    expect((await conversations.read("default", from, h.clock.now)).messages).toEqual([]);
    expect(await answerTurn(t, deps)).toEqual({ kind: "already-answered" });
  });

  it("memory is per account and sender: an RCS message shares it with the same number's SMS", async () => {
    const from = "+15550000012";
    await answerTurn(turn("by sms", { from }), deps);
    await answerTurn(turn("by rcs", { from: `rcs:${from}`, channel: "rcs" }), deps);
    expect(model.requests[1]?.history.map((message) => message.text)).toEqual(["by sms", "Answer to: by sms"]);
    expect(published[1]?.to).toBe(`rcs:${from}`);
  });
});
