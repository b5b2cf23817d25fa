import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetQueueUrlCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwilioStandIn, type TwilioStandIn } from "../../infra/local/twilio-stand-in.ts";
import {
  type GatewayProcess,
  gatewaySqs,
  postSignedWebhook,
  startGatewayProcess,
  waitFor,
} from "../support/local-gateway-process.ts";
import { echoLastUserText, type OpenAiStandIn, startOpenAiStandIn } from "../support/openai-stand-in.ts";

const SID = `AC${"4d".repeat(16)}`;
const TOKEN = "agent-gateway-token";
const API_KEY = "sk-local-test-key";
const TWILIO_NUMBER = "+15551234567";
const OWNER = "+15557654321";
/** A second account whose model may take 30 s: longer than the local queues' 10 s visibility. */
const SLOW_NUMBER = "+15551230000";
const STORM_WAIT_MS = 60_000;
/** A 1x1 PNG. */
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000050001" +
    "0d0a2db40000000049454e44ae426082",
  "hex",
);

let sidCounter = 0;
function inbound(from: string, body: string, extra: Record<string, string> = {}): Record<string, string> {
  const sid = `${Object.keys(extra).length > 0 ? "MM" : "SM"}${(++sidCounter).toString(16).padStart(32, "a")}`;
  return {
    MessageSid: sid,
    SmsMessageSid: sid,
    SmsSid: sid,
    AccountSid: SID,
    From: from,
    To: TWILIO_NUMBER,
    Body: body,
    NumMedia: String(Object.keys(extra).filter((key) => key.startsWith("MediaUrl")).length),
    ApiVersion: "2010-04-01",
    ...extra,
  };
}

describe("a real agent behind the local gateway (npm start, OpenAI-compatible stand-in)", () => {
  let twilio: TwilioStandIn;
  let model: OpenAiStandIn;
  let gateway: GatewayProcess;
  let env: Record<string, string>;
  let dataDir: string;
  // Answers to texts starting "hold" wait until the test releases them: a slow model for one sender.
  const held: Array<() => void> = [];
  const responder = async (chat: Parameters<typeof echoLastUserText>[0]) => {
    const answer = echoLastUserText(chat);
    if (answer.startsWith("Answer to: hold")) await new Promise<void>((release) => held.push(release));
    return answer;
  };

  const post = (params: Record<string, string>, path?: string) => postSignedWebhook(gateway, TOKEN, params, path);

  const answered = (text: string, timeoutMs?: number) =>
    waitFor(
      `the answer to "${text}" at Twilio`,
      () => twilio.messages.find((message) => message.body === `Answer to: ${text}`),
      timeoutMs,
    );

  async function admin(path: string, body: unknown) {
    const token = readFileSync(join(dataDir, "admin-token"), "utf8").trim();
    const response = await fetch(`${gateway.baseUrl}/admin${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    twilio = await startTwilioStandIn({ accounts: { [SID]: TOKEN } });
    model = await startOpenAiStandIn({ model: "llama3.2", apiKey: API_KEY, responder });
    const dir = mkdtempSync(join(tmpdir(), "sms-agent-"));
    dataDir = join(dir, "data");
    const configPath = join(dir, "sms.config.json5");
    writeFileSync(
      configPath,
      `{ channels: { sms: { accountSid: "${SID}", authToken: "${TOKEN}", fromNumber: "${TWILIO_NUMBER}",
         dmPolicy: "open", allowFrom: ["*"],
         agent: { kind: "openai", baseUrl: "${model.baseUrl}", model: "llama3.2", apiKey: "${API_KEY}",
                  timeoutMs: 5000, history: 10 },
         accounts: { slow: { fromNumber: "${SLOW_NUMBER}",
           agent: { kind: "openai", baseUrl: "${model.baseUrl}", model: "llama3.2", apiKey: "${API_KEY}",
                    timeoutMs: 30000 } } } } } }`,
    );
    env = {
      SMS_CONFIG: configPath,
      SMS_DATA_DIR: dataDir,
      TWILIO_API_BASE_URL: twilio.url,
      SMS_TWILIO_TIMEOUT_SECONDS: "2",
    };
    gateway = await startGatewayProcess(env);
  }, 90_000);
  afterAll(async () => {
    for (const release of held) release();
    await gateway?.stop();
    await model?.close();
    await twilio?.close();
  });

  it("a 3-message conversation: the third request carries the first two exchanges", async () => {
    for (const text of ["one", "two", "three"]) {
      expect(await post(inbound(OWNER, text))).toBe(200);
      await answered(text);
    }
    const third = model.chats().at(-1);
    expect(third?.user).toBe(`sms:default:${OWNER}`);
    expect(third?.messages.map((message) => [message.role, message.content])).toEqual([
      ["system", expect.stringContaining("SMS")],
      ["user", "one"],
      ["assistant", "Answer to: one"],
      ["user", "two"],
      ["assistant", "Answer to: two"],
      ["user", "three"],
    ]);
    expect(model.requests.every((request) => request.headers.authorization === `Bearer ${API_KEY}`)).toBe(true);
  }, 60_000);

  it("one sender's turns are answered in arrival order, each seeing the ones before", async () => {
    const sender = "+15550004001";
    const texts = ["first", "second", "third", "fourth"];
    for (const text of texts) expect(await post(inbound(sender, text))).toBe(200);
    for (const text of texts) await answered(text);
    const asked = model
      .chats()
      .filter((chat) => chat.user === `sms:default:${sender}`)
      .map((chat) => chat.messages.filter((message) => message.role === "user").map((message) => message.content));
    expect(asked).toEqual([["first"], ["first", "second"], ["first", "second", "third"], texts]);
  }, 60_000);

  it("a slow answer to one sender does not hold up another sender's", async () => {
    expect(await post(inbound("+15550005001", "hold on"))).toBe(200);
    await waitFor("the held request at the model", () => held.length === 1 || undefined);
    expect(await post(inbound("+15550005002", "meanwhile"))).toBe(200);
    await answered("meanwhile");
    // Still waiting on the first sender's answer (one turn at a time would have timed it out before this one).
    expect(model.openRequests()).toBe(1);
    expect(twilio.messages.some((message) => message.body === "Answer to: hold on")).toBe(false);
    held.shift()?.();
    await answered("hold on");
  }, 60_000);

  it("a model slower than the local queues' 10 s visibility is still asked once per turn", async () => {
    const text = "hold, thinking slowly";
    expect(await post({ ...inbound("+15550006001", text), To: SLOW_NUMBER }, "/webhooks/sms/slow")).toBe(200);
    await waitFor("the slow request at the model", () => held.length === 1 || undefined);
    // Past the 10 s a reply stays hidden locally: the turn must still be hidden, so no second request.
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    expect(model.chats().filter((chat) => chat.messages.at(-1)?.content === text)).toHaveLength(1);
    held.shift()?.();
    await answered(text);
  }, 60_000);

  it("conversation reset (the admin API behind smsctl) clears the memory", async () => {
    const reset = await admin("/conversation/reset", { phone: OWNER });
    expect(reset).toMatchObject({ status: 200, json: { cleared: 6 } });
    expect(await post(inbound(OWNER, "fresh start"))).toBe(200);
    await answered("fresh start");
    expect(
      model
        .chats()
        .at(-1)
        ?.messages.map((message) => message.role),
    ).toEqual(["system", "user"]);
  }, 60_000);

  it("a replay after a restart makes no second model call", async () => {
    const captured = inbound("+15550001111", "only once");
    expect(await post(captured)).toBe(200);
    await answered("only once");
    const calls = model.chats().length;
    expect(await gateway.stop()).toBe(0);
    gateway = await startGatewayProcess(env);
    expect(await post(captured)).toBe(200);
    // Past the webhook's receipts: the same turn queued again (as an operator's redrive would), under a new
    // deduplication id. The agent finds it answered.
    const sqs = gatewaySqs(gateway);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "sms-channel-turns.fifo" }));
    const turn = {
      version: 1,
      turnId: `default:${captured.MessageSid}`,
      account: "default",
      channel: "sms",
      messageSid: captured.MessageSid,
      from: "+15550001111",
      to: TWILIO_NUMBER,
      text: "only once",
      media: [],
      receivedAt: new Date().toISOString(),
    };
    await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: JSON.stringify(turn),
        MessageGroupId: "default:+15550001111",
        MessageDeduplicationId: "queued-again-by-hand",
      }),
    );
    sqs.destroy();
    // The same sender writes again: its turn is answered after the replay would have been.
    expect(await post(inbound("+15550001111", "after the replay"))).toBe(200);
    await answered("after the replay");
    expect(model.chats().length).toBe(calls + 1);
    expect(twilio.messages.filter((message) => message.body === "Answer to: only once")).toHaveLength(1);
  }, 90_000);

  it("a fault storm (429, 500, a timeout, malformed JSON, no choices) loses no turn and answers each once", async () => {
    const faults = [
      { kind: "http", status: 429 },
      { kind: "http", status: 500 },
      { kind: "timeout" },
      { kind: "malformed-json" },
      { kind: "no-choices" },
    ] as const;
    for (const fault of faults) model.injectFault(fault);
    const texts = ["storm a", "storm b", "storm c", "storm d", "storm e", "storm f"];
    const senders = ["+15550002001", "+15550002002", "+15550002003"];
    for (const [index, text] of texts.entries()) {
      expect(await post(inbound(senders[index % senders.length] ?? OWNER, text))).toBe(200);
    }
    // Turns run 4 at once, so one may meet two faults in a row: backoffs of 5 s then 15 s before its answer.
    for (const text of texts) await answered(text, STORM_WAIT_MS);
    for (const text of texts) {
      expect(twilio.messages.filter((message) => message.body === `Answer to: ${text}`)).toHaveLength(1);
    }
  }, 120_000);

  it("an MMS image reaches the model as a data URL, fetched with the account's credentials", async () => {
    const form = inbound("+15550003001", "what is this?", { MediaUrl0: "pending", MediaContentType0: "image/png" });
    form.MediaUrl0 = twilio.addMedia({
      accountSid: SID,
      messageSid: form.MessageSid ?? "",
      contentType: "image/png",
      data: PNG,
    });
    expect(await post(form)).toBe(200);
    await answered("what is this?");
    const last = model.chats().at(-1)?.messages.at(-1)?.content;
    expect(last).toEqual([
      { type: "text", text: "what is this?" },
      { type: "image_url", image_url: { url: `data:image/png;base64,${PNG.toString("base64")}` } },
    ]);
    expect(twilio.mediaDownloads.at(-1)).toMatchObject({ authorization: false });
  }, 60_000);
});
