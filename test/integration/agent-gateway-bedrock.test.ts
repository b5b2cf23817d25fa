import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwilioStandIn, type TwilioStandIn } from "../../infra/local/twilio-stand-in.ts";
import { twilioSignature } from "../../lib/twilio/signature.ts";
import { type BedrockStandIn, startBedrockStandIn } from "../support/bedrock-stand-in.ts";
import { type GatewayProcess, startGatewayProcess, waitFor } from "../support/local-gateway-process.ts";

const SID = `AC${"5e".repeat(16)}`;
const TOKEN = "bedrock-gateway-token";
const TWILIO_NUMBER = "+15551234567";
const SENDER = "+15557654321";
const PROFILE = "us.anthropic.claude-3-5-haiku-20241022-v1:0";

/**
 * The README's Bedrock config through `npm start`: the wiring loads the Bedrock client on first use, signs with the
 * machine's credentials for the configured Region, and keeps the conversation.
 */
describe("Bedrock behind the local gateway (Converse stand-in, real SDK client)", () => {
  let twilio: TwilioStandIn;
  let bedrock: BedrockStandIn;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    twilio = await startTwilioStandIn({ accounts: { [SID]: TOKEN } });
    bedrock = await startBedrockStandIn({ models: [PROFILE] });
    const dir = mkdtempSync(join(tmpdir(), "sms-bedrock-"));
    const configPath = join(dir, "sms.config.json5");
    writeFileSync(
      configPath,
      `{ channels: { sms: { accountSid: "${SID}", authToken: "${TOKEN}", fromNumber: "${TWILIO_NUMBER}",
         dmPolicy: "open", allowFrom: ["*"],
         agent: { kind: "bedrock", modelId: "${PROFILE}", region: "us-east-1" } } } }`,
    );
    gateway = await startGatewayProcess({
      SMS_CONFIG: configPath,
      SMS_DATA_DIR: join(dir, "data"),
      TWILIO_API_BASE_URL: twilio.url,
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.url,
      // The machine's credentials as the AWS CLI would find them; no profile or ~/.aws of the developer's.
      HOME: dir,
      AWS_PROFILE: "",
      AWS_REGION: "",
      AWS_ACCESS_KEY_ID: "AKIDLOCALTEST",
      AWS_SECRET_ACCESS_KEY: "local-test-secret",
    });
  }, 90_000);
  afterAll(async () => {
    await gateway?.stop();
    await bedrock?.close();
    await twilio?.close();
  });

  async function text(body: string, sid: string): Promise<void> {
    const url = `${gateway.baseUrl}/webhooks/sms`;
    const params = { MessageSid: sid, AccountSid: SID, From: SENDER, To: TWILIO_NUMBER, Body: body, NumMedia: "0" };
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": twilioSignature(TOKEN, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(response.status).toBe(200);
    await waitFor(`the answer to "${body}"`, () =>
      twilio.messages.find((message) => message.body === `You said: ${body}`),
    );
  }

  it("answers by SMS through Converse, signed for bedrock in the configured Region, with the history", async () => {
    await text("hello bedrock", `SM${"b1".repeat(16)}`);
    await text("and again", `SM${"b2".repeat(16)}`);
    expect(bedrock.requests.map((request) => [request.modelId, request.signing])).toEqual([
      [PROFILE, { region: "us-east-1", service: "bedrock" }],
      [PROFILE, { region: "us-east-1", service: "bedrock" }],
    ]);
    const second = bedrock.requests[1]?.body as {
      system: Array<{ text: string }>;
      messages: Array<{ role: string; content: Array<{ text?: string }> }>;
    };
    expect(second.system[0]?.text).toContain("SMS");
    expect(second.messages.map((message) => [message.role, message.content[0]?.text])).toEqual([
      ["user", "hello bedrock"],
      ["assistant", "You said: hello bedrock"],
      ["user", "and again"],
    ]);
  }, 60_000);
});
