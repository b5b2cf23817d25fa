import { execFile } from "node:child_process";
import { createSocket, type Socket } from "node:dgram";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { SQSEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleFunction } from "../../infra/bundle.ts";
import { pollOnce } from "../../infra/local/queue-poller.ts";
import { toLocalRuntimeConfig } from "../../lib/config/local-config.ts";
import { resolveConfig } from "../../lib/config/resolve.ts";
import type { Reply } from "../../lib/queue/messages.ts";
import { type Harness, STAGE_URL, startHarness } from "../support/flow-harness.ts";

// The outbound bundle as Lambda runs it, in its own node process with Lambda's tracing environment, sends a reply
// through dynalite, fauxqs and the Twilio stand-in; the X-Ray daemon is a UDP socket here. Built with tracing on it
// sends the handler, DynamoDB and `Twilio ## sendMessage` subsegments, none with a phone number or the text; built
// with tracing off it sends nothing.

const SMS = { accountSid: `AC${"7".repeat(32)}`, authToken: "traced-token-0001", fromNumber: "+15552220000" };
const TRACE_ID = "1-5759e988-bd862e3fe1be46a994272793";
const LAMBDA_SEGMENT_ID = "53995c3f42cd8ad8";
const TEXT = "the reply text that must stay out of traces";
/** Any US number of the test, with or without its +1. */
const PHONE_NUMBER = /\+?1?555\d{7}/;

interface TraceDocument {
  id: string;
  name: string;
  parent_id?: string;
  annotations?: Record<string, unknown>;
  metadata?: unknown;
  aws?: { operation?: string };
  http?: { request?: { url?: string } };
  error?: boolean;
  fault?: boolean;
}

const execFileAsync = promisify(execFile);
let replyCount = 0;

describe("X-Ray tracing in the outbound bundle (monitoring.tracing)", () => {
  let h: Harness;
  let daemon: Socket;
  let datagrams: string[];

  beforeAll(async () => {
    h = await startHarness(SMS);
    daemon = createSocket("udp4");
    daemon.on("message", (message) => datagrams.push(message.toString("utf8")));
    await new Promise<void>((resolve) => daemon.bind(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    daemon.close();
    await h.stop();
  });

  /** One reply through the bundle's handler, invoked by an event-source-mapping poll of the replies queue. */
  async function deliverThrough(tracing: boolean): Promise<{ to: string; documents: TraceDocument[] }> {
    datagrams = [];
    replyCount++;
    const to = `+1555765432${replyCount}`;
    const reply: Reply = { version: 1, replyId: `traced:${replyCount}`, account: "default", to, text: TEXT };
    await h.inboundDeps.queues.sendReply(reply);
    const { runtime, secretEnv } = toLocalRuntimeConfig(resolveConfig({ channels: { sms: SMS } }));
    const runtimeJson = JSON.stringify(runtime);
    const bundle = join(bundleFunction("outbound", runtimeJson, { tracing }), "index.mjs");
    const env = { ...lambdaEnvironment(daemon), ...secretEnv, SMS_RUNTIME_CONFIG: runtimeJson };
    await pollOnce({
      sqs: h.aws.sqs,
      queueUrl: h.aws.queueUrls.replies,
      functionName: "outbound",
      handler: async (event) => invokeBundle(bundle, event, env),
    });
    // The SDK sends each subsegment as it closes; give the last datagrams time to land.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.twilio.messages.filter((message) => message.to === to).map((message) => message.body)).toEqual([TEXT]);
    return { to, documents: datagrams.map(traceDocument) };
  }

  function lambdaEnvironment(socket: Socket): Record<string, string> {
    return {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      AWS_REGION: "us-east-1",
      AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      LAMBDA_TASK_ROOT: "/var/task",
      _HANDLER: "index.handler",
      _X_AMZN_TRACE_ID: `Root=${TRACE_ID};Parent=${LAMBDA_SEGMENT_ID};Sampled=1`,
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${socket.address().port}`,
      AWS_XRAY_CONTEXT_MISSING: "LOG_ERROR",
      POWERTOOLS_METRICS_DISABLED: "true",
      POWERTOOLS_LOG_LEVEL: "ERROR",
      SMS_EMBEDDED_ENGINES: "1",
      AWS_ENDPOINT_URL_DYNAMODB: h.aws.dynamoEndpoint,
      AWS_ENDPOINT_URL_SQS: h.aws.sqsEndpoint,
      TWILIO_API_BASE_URL: h.twilio.url,
      SMS_TABLE_NAME: h.aws.tableName,
      SMS_TURNS_QUEUE_URL: h.aws.queueUrls.turns,
      SMS_REPLIES_QUEUE_URL: h.aws.queueUrls.replies,
      SMS_REPLIES_DLQ_URL: h.aws.queueUrls.repliesDlq,
      SMS_WEBHOOK_BASE_URL: STAGE_URL,
    };
  }

  it("with tracing on: the handler, each DynamoDB call and the Twilio send are subsegments, with no number or text", async () => {
    const { documents } = await deliverThrough(true);
    const named = (name: string) => documents.filter((document) => document.name === name);

    const [handler] = named("## index.handler");
    expect(handler?.parent_id).toBe(LAMBDA_SEGMENT_ID);
    expect(handler?.annotations).toEqual({ ColdStart: true, Service: "sms-channel" });
    // captureResponse is off: nothing the handler returns is recorded.
    expect(handler?.metadata).toBeUndefined();

    const dynamo = named("DynamoDB");
    expect(dynamo.length).toBeGreaterThan(0);
    for (const call of dynamo) expect(call.parent_id).toBe(handler?.id);
    expect(dynamo.map((call) => call.aws?.operation)).toContain("UpdateItem");

    const [send] = named("Twilio ## sendMessage");
    expect(send?.parent_id).toBe(handler?.id);
    expect(send?.annotations).toEqual({ account: "default", operation: "sendMessage" });
    expect(send?.error ?? send?.fault).toBeUndefined();
    // Under it, the HTTP request itself, by path only.
    const request = documents.find((document) => document.parent_id === send?.id);
    expect(request?.http?.request?.url).toMatch(/\/2010-04-01\/Accounts\/AC7{32}\/Messages\.json$/);

    for (const datagram of datagrams) {
      expect(datagram).not.toMatch(PHONE_NUMBER);
      expect(datagram).not.toContain(TEXT);
    }
  });

  it("with tracing off: the same delivery sends no trace data at all", async () => {
    await deliverThrough(false);
    expect(datagrams).toEqual([]);
  });
});

/** Runs the bundle's handler on the event in a fresh node (as a Lambda container would) and returns its answer. */
async function invokeBundle(bundle: string, event: SQSEvent, env: Record<string, string>) {
  const probe = `
const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
const context = {
  functionName: "outbound", functionVersion: "$LATEST", memoryLimitInMB: "512", awsRequestId: "traced-request",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:outbound",
  logGroupName: "/aws/lambda/outbound", logStreamName: "traced", callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60000, done() {}, fail() {}, succeed() {},
};
const response = await handler(JSON.parse(process.env.PROBE_EVENT), context);
console.log("RESPONSE " + JSON.stringify(response));
`;
  const { stdout } = await execFileAsync(process.execPath, ["--input-type=module", "-e", probe], {
    env: { ...env, PROBE_EVENT: JSON.stringify(event) },
  });
  const line = stdout.split("\n").find((candidate) => candidate.startsWith("RESPONSE "));
  if (!line) throw new Error(`the bundle answered nothing:\n${stdout}`);
  return JSON.parse(line.slice("RESPONSE ".length));
}

/** A datagram is a header line and the segment document. */
function traceDocument(datagram: string): TraceDocument {
  const [header, body] = datagram.split("\n");
  expect(JSON.parse(header ?? "")).toEqual({ format: "json", version: 1 });
  return JSON.parse(body ?? "") as TraceDocument;
}
