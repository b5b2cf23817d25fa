/**
 * The hostile requests of hostile-http.test.ts that would reach a Lambda function, handed straight to the handlers
 * as API Gateway / Function URL events: the inbound webhook with real dependencies (dynalite, fauxqs, the Twilio
 * stand-in), the admin function as deployed (functions/admin.ts, wired from its environment). Bad input gets a 4xx
 * whose body says what is wrong, never a 5xx.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localLambdaContext } from "../../infra/local/lambda-context.ts";
import { toLocalRuntimeConfig } from "../../lib/config/local-config.ts";
import { resolveConfig } from "../../lib/config/resolve.ts";
import { handleWebhook } from "../../lib/inbound/handle-webhook.ts";
import { type Harness, STAGE_URL, startHarness } from "../support/flow-harness.ts";
import { mapBounded } from "../support/hostile/bounded-map.ts";
import { adminEventOf, webhookEventOf } from "../support/hostile/hostile-events.ts";
import {
  describeHostile,
  type HostileContext,
  type HostileRequest,
  hostileRequests,
} from "../support/hostile/hostile-requests.ts";
import { webhookSigner } from "../support/hostile/webhook-signer.ts";

const SEED = 7_351;
const GENERATED = 3_000;
const SMS = {
  accountSid: `AC${"4d".repeat(16)}`,
  authToken: "hostile-handlers-token",
  fromNumber: "+15551230000",
  dmPolicy: "pairing",
};

type AdminHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

interface HandlerCall {
  hostile: HostileRequest;
  /** The admin API answers JSON, the webhook plain text. */
  json: boolean;
  call: () => Promise<{ statusCode?: number; body?: string }>;
}

/** Runs functions/admin.ts as Lambda would: configured only through its environment, read on first use. */
async function deployedAdminHandler(harness: Harness): Promise<AdminHandler> {
  const { secretEnv } = toLocalRuntimeConfig(resolveConfig({ channels: { sms: SMS } }));
  Object.assign(process.env, secretEnv, {
    SMS_RUNTIME_CONFIG: JSON.stringify(harness.runtime),
    SMS_TABLE_NAME: harness.aws.tableName,
    SMS_TURNS_QUEUE_URL: harness.aws.queueUrls.turns,
    SMS_REPLIES_QUEUE_URL: harness.aws.queueUrls.replies,
    SMS_TURNS_DLQ_URL: harness.aws.queueUrls.turnsDlq,
    SMS_REPLIES_DLQ_URL: harness.aws.queueUrls.repliesDlq,
    SMS_WEBHOOK_BASE_URL: STAGE_URL,
    AWS_ENDPOINT_URL_DYNAMODB: harness.aws.dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: harness.aws.sqsEndpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    TWILIO_API_BASE_URL: harness.twilio.url,
    POWERTOOLS_LOG_LEVEL: "SILENT",
  });
  return (await import("../../functions/admin.ts")).handler as unknown as AdminHandler;
}

/** A 4xx must say what is wrong: the admin API as `{ error: { code, message } }`, the webhook as plain text. */
function namesTheProblem(status: number, body: string, json: boolean): boolean {
  if (status < 400) return true;
  if (!json) return body.trim() !== "";
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    return typeof parsed.error?.code === "string" && typeof parsed.error.message === "string";
  } catch {
    return false;
  }
}

describe("the webhook and admin handlers, under the same hostile requests", () => {
  let harness: Harness;
  let admin: AdminHandler;
  let context: HostileContext;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    harness = await startHarness(SMS);
    admin = await deployedAdminHandler(harness);
    const account = harness.account();
    context = {
      webhookPath: account.webhookPath,
      adminToken: "unused: a Function URL authenticates with AWS_IAM",
      accountSid: SMS.accountSid,
      toNumber: SMS.fromNumber,
      sign: webhookSigner(SMS.authToken, `${STAGE_URL}${account.webhookPath}`),
    };
  }, 60_000);

  afterAll(async () => {
    process.env = savedEnv;
    await harness?.stop();
  });

  it("answers every one below 500, and every 4xx names the problem", async () => {
    const cases = hostileRequests(SEED, GENERATED, context);
    const calls = cases.flatMap((hostile): HandlerCall[] => {
      const webhook = webhookEventOf(hostile, context.webhookPath);
      if (webhook) return [{ hostile, json: false, call: () => handleWebhook(webhook, harness.inboundDeps) }];
      const event = adminEventOf(hostile);
      if (event) return [{ hostile, json: true, call: () => admin(event, localLambdaContext("admin")) }];
      return [];
    });
    const results = await mapBounded(calls, 4, async ({ hostile, json, call }) => {
      // The webhook handler is called without its middy wrapper, so a throw is what a 500 would have been.
      const result = await call().catch((error: unknown) => ({ statusCode: 500, body: `threw: ${String(error)}` }));
      const status = result.statusCode ?? 200;
      const body = result.body ?? "";
      return { status, failed: status >= 500 || !namesTheProblem(status, body, json), hostile, body };
    });
    const failures = results
      .filter((result) => result.failed)
      .map((result) => `${result.status} ${result.body.slice(0, 120)} <- ${describeHostile(result.hostile)}`);

    expect(calls.filter((call) => !call.json).length).toBeGreaterThan(500);
    expect(calls.filter((call) => call.json).length).toBeGreaterThan(500);
    expect(failures).toEqual([]);
  }, 120_000);
});
