import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pollOnce } from "../../infra/local/queue-poller.ts";
import { ModelError } from "../../lib/agent/chat-model.ts";
import { processTurnRecord, type TurnRecordDeps, type TurnRecordOutcome } from "../../lib/agent/process-turn-record.ts";
import { silentLog } from "../../lib/log/log.ts";
import { processFifoBatch } from "../../lib/queue/fifo-batch.ts";
import type { Reply, Turn } from "../../lib/queue/messages.ts";
import { visibilityPostponer } from "../../lib/queue/postpone.ts";
import { ConversationStore } from "../../lib/store/conversation-store.ts";
import { makeTurn, ScriptedModel } from "../support/agent-fixtures.ts";
import { type Harness, startHarness } from "../support/flow-harness.ts";

const SID = `AC${"6".repeat(32)}`;

/**
 * The agent function's path from the turns queue (fauxqs, through the real SDK) to the turns DLQ: what lands there,
 * with which reason, and what a crash redelivery or an operator's redrive of a failed turn does.
 */
describe("agent turns that cannot be answered go to the turns DLQ with their reason", () => {
  let h: Harness;
  let model: ScriptedModel;
  let published: Reply[];
  let deps: TurnRecordDeps & { postpone: ReturnType<typeof visibilityPostponer> };

  beforeAll(async () => {
    h = await startHarness({
      accountSid: SID,
      authToken: "t",
      fromNumber: "+15551234567",
      dmPolicy: "open",
      allowFrom: ["*"],
      agent: { kind: "openai", baseUrl: "http://127.0.0.1:9/v1", model: "m", failureReply: "Sorry!" },
    });
  });
  afterAll(() => h.stop());
  beforeEach(async () => {
    model = new ScriptedModel();
    published = [];
    deps = {
      config: h.runtime,
      conversations: new ConversationStore(h.aws.dynamo, h.aws.tableName),
      modelFor: () => model,
      prepareMedia: async () => ({ images: [], lines: [] }),
      publishReply: async (reply) => {
        published.push(reply);
      },
      now: () => h.clock.now,
      log: silentLog,
      metrics: h.metrics,
      maxAttempts: 2,
      sqs: h.aws.sqs,
      dlqUrl: h.aws.queueUrls.turnsDlq,
      retryDelaySeconds: () => 0,
      postpone: visibilityPostponer(h.aws.sqs, h.aws.queueUrls.turns),
    };
    await drainDlq();
  });

  async function enqueue(body: string, group: string): Promise<void> {
    await h.aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: h.aws.queueUrls.turns,
        MessageBody: body,
        MessageGroupId: group,
        MessageDeduplicationId: `d-${Math.random()}`,
      }),
    );
  }

  /** One poll as the event source mapping would make it, through the agent function's batch processor. */
  async function deliver(): Promise<TurnRecordOutcome[]> {
    const settled: TurnRecordOutcome[] = [];
    await pollOnce({
      sqs: h.aws.sqs,
      queueUrl: h.aws.queueUrls.turns,
      functionName: "agent",
      batchSize: 1,
      handler: async (event: SQSEvent, context): Promise<SQSBatchResponse> => {
        const batch = await processFifoBatch(event, context, (record) => processTurnRecord(record, deps), deps);
        settled.push(...batch.settled);
        return batch.response;
      },
    });
    return settled;
  }

  /** Polls until the turn reappears (the harness queues hide a received message for 1 s). */
  async function waitForDelivery(): Promise<TurnRecordOutcome[]> {
    for (let poll = 0; poll < 20; poll++) {
      const settled = await deliver();
      if (settled.length > 0) return settled;
    }
    throw new Error("the turn never came back");
  }

  async function drainDlq(): Promise<Array<{ body: string; reason: string }>> {
    const received = await h.aws.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: h.aws.queueUrls.turnsDlq,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ["All"],
        VisibilityTimeout: 0,
      }),
    );
    const messages = received.Messages ?? [];
    for (const message of messages) {
      await h.aws.sqs.send(
        new DeleteMessageCommand({
          QueueUrl: h.aws.queueUrls.turnsDlq,
          ReceiptHandle: message.ReceiptHandle,
        }),
      );
    }
    return messages.map((message) => ({
      body: message.Body ?? "",
      reason: message.MessageAttributes?.reason?.StringValue ?? "",
    }));
  }

  const groupOf = (turn: Turn) => `${turn.account}:${turn.from}`;

  it("a refused request: the failure notice once, the turn in the DLQ with the model's refusal", async () => {
    const turn = makeTurn("what now?", { from: "+15550001001" });
    model.script = [new ModelError("terminal", "api.example.com answered HTTP 404 (model_not_found)", "404")];
    await enqueue(JSON.stringify(turn), groupOf(turn));
    expect(await deliver()).toEqual([{ kind: "dead-lettered", reason: expect.stringContaining("refused") }]);
    expect(published.map((reply) => [reply.replyId, reply.text])).toEqual([[`agent-failed:${turn.turnId}`, "Sorry!"]]);
    expect(await drainDlq()).toEqual([
      {
        body: JSON.stringify(turn),
        reason: "the model refused the request: api.example.com answered HTTP 404 (model_not_found)",
      },
    ]);
    expect(await h.queueDepth(h.aws.queueUrls.turns)).toBe(0);
  });

  it("retryable failures come back after their backoff; after the last attempt the turn is dead-lettered", async () => {
    const turn = makeTurn("flaky", { from: "+15550001002" });
    model.script = [new ModelError("retryable", "HTTP 500"), new ModelError("retryable", "HTTP 503")];
    await enqueue(JSON.stringify(turn), groupOf(turn));
    expect(await deliver()).toEqual([]);
    expect(await h.queueDepth(h.aws.queueUrls.turns)).toBe(1);
    expect(await deliver()).toEqual([{ kind: "dead-lettered", reason: "gave up after 2 attempts: HTTP 503" }]);
    expect((await drainDlq()).map((dead) => dead.reason)).toEqual(["gave up after 2 attempts: HTTP 503"]);
    expect(model.requests).toHaveLength(2);
  });

  it("a turn the contract refuses, or for an account that does not exist, is dead-lettered naming why", async () => {
    await enqueue(JSON.stringify({ version: 1, turnId: "default:x" }), "default:+15550001003");
    await deliver();
    const ghost = makeTurn("hello?", { account: "ghost", turnId: "ghost:SM1", from: "+15550001004" });
    await enqueue(JSON.stringify(ghost), groupOf(ghost));
    await deliver();
    const reasons = (await drainDlq()).map((dead) => dead.reason);
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toMatch(/^turn.account: Invalid input: expected string, received undefined; turn.channel: /);
    expect(reasons[1]).toBe('turn.account: no account "ghost" is configured');
    expect(model.requests).toHaveLength(0);
    expect(published).toEqual([]);
  });

  it("a failed turn delivered again after a crash asks nothing; redriven, it is answered afresh", async () => {
    const turn = makeTurn("try later", { from: "+15550001005" });
    model.script = [new ModelError("terminal", "HTTP 400 invalid image", "400")];
    await enqueue(JSON.stringify(turn), groupOf(turn));
    // The function dies after queueing the failure notice, before the turn reaches the DLQ.
    deps.dlqUrl = `${h.aws.queueUrls.turnsDlq}-unreachable`;
    expect(await deliver()).toEqual([]);
    deps.dlqUrl = h.aws.queueUrls.turnsDlq;
    const redelivered = await waitForDelivery();
    expect(redelivered).toEqual([{ kind: "dead-lettered", reason: expect.stringMatching(/earlier delivery/) }]);
    expect(model.requests).toHaveLength(1);
    // The same notice again: the same replyId, which the outbound side sends once.
    expect(published.map((reply) => reply.replyId)).toEqual([
      `agent-failed:${turn.turnId}`,
      `agent-failed:${turn.turnId}`,
    ]);
    const [dead] = await drainDlq();
    // The operator fixes the cause and redrives: a new message, first receive.
    await enqueue(dead?.body ?? "", groupOf(turn));
    expect(await deliver()).toEqual([{ kind: "answered", replyId: `agent:${turn.turnId}` }]);
    expect(published.map((reply) => reply.replyId).at(-1)).toBe(`agent:${turn.turnId}`);
    expect(model.requests).toHaveLength(2);
  });
});
