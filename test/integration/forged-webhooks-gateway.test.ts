import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwilioStandIn, type TwilioStandIn } from "../../infra/local/twilio-stand-in.ts";
import { type ForgedVariant, forgedVariants, formBody, type Pairs, signPairs } from "../support/forged-webhooks.ts";
import { type GatewayProcess, startGatewayProcess, waitFor } from "../support/local-gateway-process.ts";

const SID = `AC${"6".repeat(32)}`;
const TOKEN = "gateway-forgery-token";
const OWNER = "+15557654321";
const TWILIO_NUMBER = "+15551234567";
const BODY = "pay the invoice Do not pay twice. Call Dana, Each Desk Copy, Even Cedric (Body copy)";

let sidCounter = 0;
function original(body = BODY): Pairs {
  const sid = `SM${(++sidCounter).toString(16).padStart(32, "0")}`;
  return [
    ["ToCountry", "US"],
    ["SmsMessageSid", sid],
    ["NumMedia", "0"],
    ["SmsSid", sid],
    ["SmsStatus", "received"],
    ["Body", body],
    ["To", TWILIO_NUMBER],
    ["NumSegments", "1"],
    ["MessageSid", sid],
    ["AccountSid", SID],
    ["From", OWNER],
    ["ApiVersion", "2010-04-01"],
  ];
}

async function post(url: string, body: string, signature: string | null): Promise<number> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(signature === null ? {} : { "X-Twilio-Signature": signature }),
    },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

describe("forged and re-cut webhooks against the local gateway as a process (npm start)", () => {
  let twilio: TwilioStandIn;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    twilio = await startTwilioStandIn({ accounts: { [SID]: TOKEN } });
    const dir = mkdtempSync(join(tmpdir(), "sms-forged-"));
    const configPath = join(dir, "sms.config.json5");
    writeFileSync(
      configPath,
      `{ channels: { sms: { accountSid: "${SID}", authToken: "${TOKEN}", fromNumber: "${TWILIO_NUMBER}",
         dmPolicy: "allowlist", allowFrom: ["${OWNER}"] } } }`,
    );
    gateway = await startGatewayProcess({
      SMS_CONFIG: configPath,
      SMS_DATA_DIR: join(dir, "data"),
      TWILIO_API_BASE_URL: twilio.url,
    });
  }, 90_000);
  afterAll(async () => {
    await gateway?.stop();
    await twilio?.close();
  });

  it("refuses every variant that would change what the agent reads; a real message still gets through", async () => {
    const url = `${gateway.baseUrl}/webhooks/sms`;
    const count = forgedVariants({ pairs: original(), url, token: TOKEN }).length;
    const statuses: Array<{ variant: ForgedVariant; status: number }> = [];
    // Every third variant (all families, over 200 requests); the handler-level suite sends all of them.
    for (let index = 0; index < count; index += 3) {
      const variant = forgedVariants({ pairs: original(), url, token: TOKEN })[index] as ForgedVariant;
      statuses.push({ variant, status: await post(url, formBody(variant.pairs), variant.signature) });
    }
    expect(statuses.length).toBeGreaterThanOrEqual(200);
    expect(statuses.filter(({ status }) => status >= 500)).toEqual([]);
    const accepted = statuses.filter(({ status }) => status < 400);
    // Only boundary shifts among parameters the channel ignores (e.g. NumMedia/NumSegments) may pass: same message.
    expect(accepted.every(({ variant }) => variant.family === "boundary-shift")).toBe(true);

    const genuine = original("the real one");
    expect(await post(url, formBody(genuine), signPairs(TOKEN, url, genuine))).toBe(200);
    await waitFor("the echo reply to the real message", () =>
      twilio.messages.find((message) => message.body === 'You said: "the real one"'),
    );
    // Every echo the agent sent answers either the genuine message or an accepted harmless shift of BODY.
    const echoes = twilio.messages.map((message) => message.body);
    expect(echoes.filter((body) => body !== `You said: "${BODY}"` && body !== 'You said: "the real one"')).toEqual([]);
    expect(echoes.filter((body) => body === `You said: "${BODY}"`).length).toBeLessThanOrEqual(accepted.length);
  }, 120_000);
});
