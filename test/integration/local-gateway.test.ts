import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwilioStandIn, type TwilioStandIn } from "../../infra/local/twilio-stand-in.ts";
import { nodeSupportNote } from "../../lib/runtime/node-support.ts";
import { twilioSignature } from "../../lib/twilio/signature.ts";
import { type GatewayProcess, gatewaySqs, startGatewayProcess, waitFor } from "../support/local-gateway-process.ts";

const SID = `AC${"3".repeat(32)}`;
const TOKEN = "local-gateway-token";
const OWNER = "+15557654321";
const TWILIO_NUMBER = "+15551234567";

function form(body: string, sid: string): Record<string, string> {
  return { MessageSid: sid, SmsSid: sid, AccountSid: SID, From: OWNER, To: TWILIO_NUMBER, Body: body, NumMedia: "0" };
}

async function postSigned(url: string, params: Record<string, string>, signature: string | null): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(signature === null ? {} : { "X-Twilio-Signature": signature }),
    },
    body: new URLSearchParams(params).toString(),
  });
}

describe("local gateway over real HTTP (npm start)", () => {
  let twilio: TwilioStandIn;
  let gateway: GatewayProcess;
  let env: Record<string, string>;
  let dataDir: string;

  beforeAll(async () => {
    twilio = await startTwilioStandIn({ accounts: { [SID]: TOKEN } });
    const dir = mkdtempSync(join(tmpdir(), "sms-local-"));
    dataDir = join(dir, "data");
    const configPath = join(dir, "sms.config.json5");
    writeFileSync(
      configPath,
      `{ channels: { sms: { enabled: true, accountSid: "${SID}", authToken: "${TOKEN}", fromNumber: "${TWILIO_NUMBER}",
         dmPolicy: "allowlist", allowFrom: ["${OWNER}"] } } }`,
    );
    env = { SMS_CONFIG: configPath, SMS_DATA_DIR: dataDir, TWILIO_API_BASE_URL: twilio.url };
    gateway = await startGatewayProcess(env);
  }, 90_000);

  afterAll(async () => {
    await gateway?.stop();
    await twilio?.close();
  });

  it("prints the webhook URL, the accounts and where outbound SMS go", () => {
    const banner = gateway.output();
    expect(banner).toContain(`${gateway.baseUrl}/webhooks/sms`);
    expect(banner).toMatch(/default \(default\).*dmPolicy allowlist/);
    expect(banner).toContain(`outbound SMS: sent to ${twilio.url} (TWILIO_API_BASE_URL)`);
    expect(banner).not.toContain(TOKEN);
    // Quiet on Node 20: one line of ours instead of the AWS SDK's nine-line notice (README: Requirements).
    expect(banner).not.toContain("NodeVersionSupportWarning");
    const note = nodeSupportNote();
    if (note !== undefined) expect(banner).toContain(note);
  });

  it("answers a signed SMS with empty TwiML and the echo agent's reply reaches Twilio", async () => {
    const url = `${gateway.baseUrl}/webhooks/sms`;
    const params = form("hi over http", `SM${"a".repeat(32)}`);
    const response = await postSigned(url, params, twilioSignature(TOKEN, url, params));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/xml");
    expect(await response.text()).toBe("<Response/>");

    const sent = await waitFor("the echo reply at Twilio", () => twilio.messages.find((m) => m.to === OWNER));
    expect(sent).toMatchObject({ accountSid: SID, from: TWILIO_NUMBER, body: 'You said: "hi over http"' });
    // Twilio is asked to retry status callbacks: connection overrides ride in the fragment, which it never sends.
    expect(sent.statusCallback?.split("#")[0]).toBe(url);
  }, 30_000);

  it("carries an emoji both ways: the webhook answers 200 and the echo reaches Twilio", async () => {
    const url = `${gateway.baseUrl}/webhooks/sms`;
    const params = form("on my way 🚗", `SM${"e".repeat(32)}`);
    expect((await postSigned(url, params, twilioSignature(TOKEN, url, params))).status).toBe(200);
    await waitFor("the emoji echo at Twilio", () => twilio.messages.find((m) => m.body === 'You said: "on my way 🚗"'));
  }, 30_000);

  it("refuses an unsigned webhook with 403", async () => {
    const response = await postSigned(`${gateway.baseUrl}/webhooks/sms`, form("forged", `SM${"b".repeat(32)}`), null);
    expect(response.status).toBe(403);
  });

  it("prints what became of each message, reply and delivery status: numbers masked, no text", async () => {
    const url = `${gateway.baseUrl}/webhooks/sms`;
    const post = async (params: Record<string, string>) => {
      const response = await postSigned(url, params, twilioSignature(TOKEN, url, params));
      await response.text();
      return response.headers.get("x-sms-outcome");
    };
    const line = (pattern: RegExp) =>
      waitFor(`a line like ${pattern}`, () =>
        gateway
          .output()
          .split("\n")
          .find((candidate) => pattern.test(candidate)),
      );
    const stranger = "+15550009999";

    const sid = `SM${"c".repeat(32)}`;
    expect(await post(form("narrate me", sid))).toBe("turn");
    await line(new RegExp(`^\\[sms in\\] default from \\+155\\*{4}4321 ${sid}: queued as a turn for the agent$`));
    const sent = await line(
      new RegExp(
        `^\\[reply\\] default to \\+155\\*{4}4321 echo:default:${sid}: sent 1 text, 1 segment \\(SM[0-9a-f]{32}\\)$`,
      ),
    );
    const twilioSid = /\((SM[0-9a-f]{32})\)$/.exec(sent)?.[1] ?? "";
    expect(twilio.messages.find((m) => m.body === 'You said: "narrate me"')?.sid).toBe(twilioSid);

    const status = { MessageSid: twilioSid, SmsSid: twilioSid, MessageStatus: "undelivered", SmsStatus: "undelivered" };
    const callback = { ...status, ErrorCode: "30003", AccountSid: SID, From: TWILIO_NUMBER, To: OWNER };
    expect(await post({ ...callback, ApiVersion: "2010-04-01" })).toBe("status:recorded");
    await line(new RegExp(`^\\[status\\] default ${twilioSid}: undelivered \\(Twilio error 30003\\)$`));

    expect(await post({ ...form("let me in", `SM${"d".repeat(32)}`), From: stranger })).toBe("dropped:not-allowed");
    await line(
      /^\[sms in\] default from \+155\*{4}9999 SMd{32}: dropped: the sender is not in allowFrom and not approved$/,
    );

    // STOP works for any number; a reply that was on its way (here one queued as your own agent would) is refused.
    expect(await post({ ...form("STOP", `SM${"9".repeat(32)}`), From: stranger })).toBe("opted-out");
    await line(/^\[sms in\] default from \+155\*{4}9999 SM9{32}: STOP: the sender opted out/);
    const sqs = gatewaySqs(gateway);
    const replyId = "late-answer-1";
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: `${gateway.sqsEndpoint}/000000000000/sms-channel-replies.fifo`,
        MessageBody: JSON.stringify({ version: 1, replyId, account: "default", to: stranger, text: "are you there?" }),
        MessageGroupId: `default:${stranger}`,
        MessageDeduplicationId: replyId,
      }),
    );
    sqs.destroy();
    await line(/^\[reply\] default to \+155\*{4}9999 late-answer-1: refused: recipient opted out$/);

    const forged = await postSigned(url, form("forged again", `SM${"8".repeat(32)}`), "not-a-signature");
    expect(forged.headers.get("x-sms-outcome")).toBe("refused:signature");
    await line(/^\[sms in\] default: refused \(403\): the X-Twilio-Signature does not match$/);

    const output = gateway.output();
    for (const secret of [OWNER, stranger, "narrate me", "let me in", "are you there?", "forged again", TOKEN]) {
      expect(output).not.toContain(secret);
    }
  }, 30_000);

  it("refuses /admin without the token and serves it with the token from the data folder", async () => {
    expect((await fetch(`${gateway.baseUrl}/admin/capabilities`)).status).toBe(401);
    const wrong = await fetch(`${gateway.baseUrl}/admin/capabilities`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    const token = readFileSync(join(dataDir, "admin-token"), "utf8").trim();
    const ok = await fetch(`${gateway.baseUrl}/admin/capabilities`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ channel: "sms" });
  });

  it("stops cleanly on Ctrl-C and keeps its data across a restart", async () => {
    const token = readFileSync(join(dataDir, "admin-token"), "utf8").trim();
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const added = await fetch(`${gateway.baseUrl}/admin/allow/add`, {
      method: "POST",
      headers,
      body: JSON.stringify({ phone: "+15550001234" }),
    });
    expect(added.status).toBe(200);

    expect(await gateway.stop()).toBe(0);
    expect(gateway.output()).toContain("stopped; data kept in");
    gateway = await startGatewayProcess(env);

    const listed = await fetch(`${gateway.baseUrl}/admin/allow`, { headers });
    const body = (await listed.json()) as { approved: Array<{ phone: string }> };
    expect(body.approved.map((entry) => entry.phone)).toContain("+15550001234");
  }, 90_000);

  it("a captured webhook replayed after a restart changes nothing", async () => {
    const url = `${gateway.baseUrl}/webhooks/sms`;
    const captured = form("hi over http", `SM${"a".repeat(32)}`);
    expect((await postSigned(url, captured, twilioSignature(TOKEN, url, captured))).status).toBe(200);
    // Same sender, so a second echo of the replay would reach Twilio before this one's.
    const later = form("after the replay", `SM${"f".repeat(32)}`);
    expect((await postSigned(url, later, twilioSignature(TOKEN, url, later))).status).toBe(200);
    await waitFor("the echo after the replay", () =>
      twilio.messages.find((m) => m.body === 'You said: "after the replay"'),
    );
    expect(twilio.messages.filter((m) => m.body === 'You said: "hi over http"')).toHaveLength(1);
  }, 30_000);
});
