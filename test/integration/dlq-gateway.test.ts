import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetQueueUrlCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwilioStandIn, type TwilioStandIn } from "../../infra/local/twilio-stand-in.ts";
import type { DeadLetterList } from "../../lib/admin/dead-letters.ts";
import {
  type GatewayProcess,
  gatewaySqs,
  postSignedWebhook,
  startGatewayProcess,
  waitFor,
} from "../support/local-gateway-process.ts";
import { smsctl } from "../support/smsctl-process.ts";

// `smsctl dlq list|redrive` through `npm start` against its real embedded queues: a reply that died half sent
// sends only the rest once redriven, and a turn that was answered is not answered again.

const SID = `AC${"6e".repeat(16)}`;
const TOKEN = "dlq-gateway-token";
const TWILIO_NUMBER = "+15551234567";
const RECIPIENT = "+15557650101";
const SENDER = "+15557650202";

describe("dead letters through the local gateway", () => {
  let twilio: TwilioStandIn;
  let gateway: GatewayProcess;
  let env: Record<string, string>;

  const cli = async (...args: string[]) => smsctl(args, { ...env, PORT: new URL(gateway.baseUrl).port });
  const deadLetters = async () => JSON.parse((await cli("dlq", "list", "--json")).stdout) as DeadLetterList;

  const post = (params: Record<string, string>) => postSignedWebhook(gateway, TOKEN, params);

  beforeAll(async () => {
    twilio = await startTwilioStandIn({ accounts: { [SID]: TOKEN } });
    const dir = mkdtempSync(join(tmpdir(), "sms-dlq-"));
    const configPath = join(dir, "sms.config.json5");
    writeFileSync(
      configPath,
      `{ channels: { sms: { accountSid: "${SID}", authToken: "${TOKEN}", fromNumber: "${TWILIO_NUMBER}",
         dmPolicy: "open", allowFrom: ["*"] } } }`,
    );
    // One failed attempt parks a reply in the dead-letter queue.
    env = {
      SMS_CONFIG: configPath,
      SMS_DATA_DIR: join(dir, "data"),
      TWILIO_API_BASE_URL: twilio.url,
      SMS_MAX_ATTEMPTS: "1",
    };
    gateway = await startGatewayProcess(env);
  }, 90_000);
  afterAll(async () => {
    await gateway?.stop();
    await twilio?.close();
  });

  it("a reply that died after its first text sends only the rest when redriven", async () => {
    const paragraphs = Array.from({ length: 3 }, (_, i) =>
      `Part ${i + 1}. ${"All plain words here. ".repeat(60)}`.trim(),
    );
    twilio.injectFault({ kind: "http", status: 500, skip: 1 });
    const sent = await cli("message", "send", "--target", `sms:${RECIPIENT}`, "--message", paragraphs.join("\n\n"));
    expect(sent.code).toBe(0);
    const list = await waitFor("the reply in the dead-letter queue", async () => {
      const found = await deadLetters();
      return found.letters.length > 0 ? found : undefined;
    });
    expect(list.letters).toMatchObject([
      { queue: "replies", account: "default", reason: expect.stringContaining("500") },
    ]);
    const toRecipient = () => twilio.messages.filter((message) => message.to === RECIPIENT);
    expect(toRecipient().map((message) => message.body.slice(0, 7))).toEqual(["Part 1."]);

    const redriven = await cli("dlq", "redrive", "--queue", "replies");
    expect(redriven.code).toBe(0);
    await waitFor("the rest of the reply at Twilio", () => (toRecipient().length >= 3 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1500)); // nothing more arrives
    expect(toRecipient().map((message) => message.body.slice(0, 7))).toEqual(["Part 1.", "Part 2.", "Part 3."]);
    expect((await deadLetters()).letters).toEqual([]);
  });

  it("an answered turn, redriven from the dead-letter queue, is not answered again", async () => {
    const messageSid = `SM${"ab".repeat(16)}`;
    const params = {
      MessageSid: messageSid,
      SmsMessageSid: messageSid,
      SmsSid: messageSid,
      AccountSid: SID,
      From: SENDER,
      To: TWILIO_NUMBER,
      Body: "remember the milk",
      NumMedia: "0",
      ApiVersion: "2010-04-01",
    };
    expect(await post(params)).toBe(200);
    const echoes = () => twilio.messages.filter((message) => message.to === SENDER);
    await waitFor("the echo", () => (echoes().length === 1 ? true : undefined));

    // The same turn lands in the dead-letter queue (say the agent crashed before deleting it, ten times over).
    const sqs = gatewaySqs(gateway);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "sms-channel-turns-dlq.fifo" }));
    const turn = {
      version: 1,
      turnId: `default:${messageSid}`,
      account: "default",
      channel: "sms",
      messageSid,
      from: SENDER,
      to: TWILIO_NUMBER,
      text: "remember the milk",
      media: [],
      receivedAt: new Date().toISOString(),
    };
    await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: JSON.stringify(turn),
        MessageGroupId: `default:${SENDER}`,
        MessageDeduplicationId: "dead-turn",
      }),
    );
    const listed = await deadLetters();
    expect(listed.letters).toMatchObject([{ queue: "turns", key: `default:${messageSid}` }]);
    expect(JSON.stringify(listed)).not.toContain("milk");

    expect((await cli("dlq", "redrive", "--id", listed.letters[0]?.id ?? "")).code).toBe(0);
    await waitFor("the turns dead-letter queue to empty", async () =>
      (await deadLetters()).letters.length === 0 ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 2000)); // time enough for a second answer, were there one
    expect(echoes()).toHaveLength(1);
  });
});
