import { buildApp } from "fauxqs";
import { describe, expect, it } from "vitest";
import { refuseUnjournalableSqsRequests } from "../../../infra/local/sqs-json-refusal.ts";
import { sendFieldProblem } from "../../../infra/local/sqs-send-fields.ts";
import { sqsAction } from "../../../infra/local/sqs-target.ts";

const HOST = "127.0.0.1:4566";

async function refusingApp() {
  const app = buildApp({ logger: false, host: "127.0.0.1" });
  refuseUnjournalableSqsRequests(app);
  const call = async (target: string | undefined, body: object, contentType = "application/x-amz-json-1.0") => {
    const response = await app.inject({
      method: "POST",
      url: "/",
      headers: { host: HOST, "content-type": contentType, ...(target === undefined ? {} : { "x-amz-target": target }) },
      payload: JSON.stringify(body),
    });
    return { status: response.statusCode, answer: response.json() as { __type?: string; message?: string } };
  };
  const created = await call("AmazonSQS.CreateQueue", { QueueName: "q.fifo", Attributes: { FifoQueue: "true" } });
  return { app, call, queueUrl: (created.answer as { QueueUrl: string }).QueueUrl };
}

const fine = { MessageBody: "hi", MessageGroupId: "g", MessageDeduplicationId: "d" };

describe("reading X-Amz-Target", () => {
  it("takes exactly AmazonSQS.<Action>", () => {
    expect(sqsAction("AmazonSQS.SendMessage")).toBe("SendMessage");
  });

  it.each([
    "SendMessage",
    "SendMessageAmazonSQS.",
    "AmazonSQS.AmazonSQS.SendMessage",
    "AmazonSQS.SendMessage, AmazonSQS.SendMessage",
    "amazonsqs.SendMessage",
    "AmazonSQS.",
    "",
  ])("reads no action from %j", (target) => {
    expect(sqsAction(target)).toBeUndefined();
  });
});

describe("the fields of a send", () => {
  it.each([
    [{ ...fine, MessageGroupId: null }, undefined],
    [{ ...fine, MessageGroupId: 5 }, "MessageGroupId: expected a string, got number"],
    [{ ...fine, MessageDeduplicationId: true }, "MessageDeduplicationId: expected a string, got boolean"],
    [{ ...fine, MessageBody: ["hi"] }, "MessageBody: expected a string, got an array"],
  ])("SendMessage %j: %s", (body, problem) => {
    expect(sendFieldProblem("SendMessage", body)).toBe(problem);
  });

  it("names the batch entry", () => {
    const entries = [fine, { ...fine, MessageGroupId: {} }];
    expect(sendFieldProblem("SendMessageBatch", { Entries: entries })).toBe(
      "Entries[1].MessageGroupId: expected a string, got object",
    );
    expect(sendFieldProblem("SendMessageBatch", { Entries: [fine, 5] })).toBe(
      "Entries[1]: expected an object, got number",
    );
  });

  it("leaves other actions alone", () => {
    expect(sendFieldProblem("DeleteMessage", { MessageGroupId: 5 })).toBeUndefined();
  });
});

describe("refusing what the journal could not follow, before fauxqs acts", () => {
  it.each(["SendMessage", "SendMessageAmazonSQS."])(
    "answers X-Amz-Target %j with a 400 naming the header and the form expected",
    async (target) => {
      const { app, call, queueUrl } = await refusingApp();
      const { status, answer } = await call(target, { QueueUrl: queueUrl, ...fine });
      expect(status).toBe(400);
      expect(answer.__type).toBe("com.amazonaws.sqs#InvalidAction");
      expect(answer.message).toBe(
        `X-Amz-Target header: expected AmazonSQS.<Action> (such as AmazonSQS.SendMessage), got ${JSON.stringify(target)}`,
      );
      const held = await app.inject({ method: "GET", url: "/_fauxqs/queues/q.fifo" });
      expect(held.json().messages.ready).toEqual([]);
    },
  );

  it("answers a missing X-Amz-Target the same way", async () => {
    const { call } = await refusingApp();
    const { status, answer } = await call(undefined, {});
    expect(status).toBe(400);
    expect(answer.message).toMatch(/^X-Amz-Target header: expected AmazonSQS.<Action>.*, got null$/);
  });

  it("answers a send with a numeric MessageGroupId with a 400 naming it", async () => {
    const { call, queueUrl } = await refusingApp();
    const { status, answer } = await call("AmazonSQS.SendMessage", { QueueUrl: queueUrl, ...fine, MessageGroupId: 5 });
    expect(status).toBe(400);
    expect(answer).toEqual({
      __type: "com.amazonaws.sqs#InvalidParameterValue",
      message: "MessageGroupId: expected a string, got number",
    });
  });

  it("lets well-formed requests through to fauxqs", async () => {
    const { call, queueUrl } = await refusingApp();
    expect((await call("AmazonSQS.SendMessage", { QueueUrl: queueUrl, ...fine })).status).toBe(200);
  });
});
