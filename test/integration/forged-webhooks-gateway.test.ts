import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwilioStandIn, type TwilioStandIn } from "../../infra/local/twilio-stand-in.ts";
import { smsWithMedia } from "../support/forged-originals.ts";
import { type ForgedVariant, forgedVariants, formBody, signPairs } from "../support/forged-webhooks.ts";
import { type GatewayProcess, startGatewayProcess, waitFor } from "../support/local-gateway-process.ts";

const SID = `AC${"6".repeat(32)}`;
const TOKEN = "gateway-forgery-token";
const OWNER = "+15557654321";
const TWILIO_NUMBER = "+15551234567";

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

  it("refuses every forged and re-cut variant; a real message still gets through", async () => {
    const url = `${gateway.baseUrl}/webhooks/sms`;
    const original = () => smsWithMedia(SID, OWNER, TWILIO_NUMBER);
    const count = forgedVariants({ pairs: original().pairs, url, token: TOKEN }).length;
    const statuses: Array<{ variant: ForgedVariant; status: number }> = [];
    // Every third variant (all families, over 200 requests); the handler-level suite sends all of them.
    for (let index = 0; index < count; index += 3) {
      const variant = forgedVariants({ pairs: original().pairs, url, token: TOKEN })[index] as ForgedVariant;
      statuses.push({ variant, status: await post(url, formBody(variant.pairs), variant.signature) });
    }
    expect(statuses.length).toBeGreaterThanOrEqual(200);
    const notRefused = statuses.filter(({ status }) => status < 400 || status >= 500);
    expect(notRefused.map(({ variant, status }) => `${variant.family}: ${variant.label} -> ${status}`)).toEqual([]);

    const genuine = original();
    expect(await post(url, formBody(genuine.pairs), signPairs(TOKEN, url, genuine.pairs))).toBe(200);
    await waitFor("the echo reply to the real message", () => (twilio.messages.length > 0 ? true : undefined));
    // The echo agent answered exactly one message: the genuine one (media-only echoes quote the text).
    expect(twilio.messages.map((message) => message.body)).toEqual([`You said: "${genuine.expected.text}"`]);
  }, 120_000);
});
