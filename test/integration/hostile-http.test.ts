/**
 * Thousands of malformed requests over raw TCP (nothing in between normalises them) to the local gateway started as
 * `npm start` does: bad input must get a 4xx (or, for bytes Node's HTTP parser itself refuses, a 400 or a close),
 * never a 5xx, and the gateway must still serve a real Twilio message afterwards.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildInboundForm, randomMessageSid } from "../../lib/cli/simulate.ts";
import { demoAccountFile } from "../../lib/config/local-config.ts";
import { twilioSignature } from "../../lib/twilio/signature.ts";
import { mapBounded } from "../support/hostile/bounded-map.ts";
import { bytesToSend, type HostileContext, hostileRequests } from "../support/hostile/hostile-requests.ts";
import { tallyOutcomes } from "../support/hostile/outcome-tally.ts";
import { exchange } from "../support/hostile/raw-http-client.ts";
import { webhookSigner } from "../support/hostile/webhook-signer.ts";
import { type GatewayProcess, startGatewayProcess } from "../support/local-gateway-process.ts";

const SEED = 20_260_511;
const COUNT = 5_200;
const CONCURRENCY = 16;
const WEBHOOK_PATH = "/webhooks/sms";
/** The demo account's number (lib/config/local-config.ts). */
const DEMO_NUMBER = "+15005550006";

describe("the local gateway as a process, under hostile HTTP", () => {
  let gateway: GatewayProcess;
  let dataDir: string;
  let demo: { accountSid: string; authToken: string };
  let adminToken: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "sms-hostile-"));
    dataDir = join(dir, "data");
    // No config file and no TWILIO_* variables: the demo account, with the embedded Twilio stand-in.
    gateway = await startGatewayProcess(
      { SMS_CONFIG: "", SMS_DATA_DIR: dataDir, TWILIO_ACCOUNT_SID: "", TWILIO_API_BASE_URL: "", SMS_LOCAL_TWILIO: "" },
      { cwd: dir },
    );
    demo = JSON.parse(readFileSync(demoAccountFile(dataDir), "utf8")) as typeof demo;
    adminToken = readFileSync(join(dataDir, "admin-token"), "utf8").trim();
  }, 90_000);

  afterAll(async () => {
    await gateway?.stop();
  });

  it(`answers ${COUNT} malformed requests to the webhook and /admin without a single 5xx`, async () => {
    const port = Number(new URL(gateway.baseUrl).port);
    const context: HostileContext = {
      webhookPath: WEBHOOK_PATH,
      adminToken,
      accountSid: demo.accountSid,
      toNumber: DEMO_NUMBER,
      sign: webhookSigner(demo.authToken, `${gateway.baseUrl}${WEBHOOK_PATH}`),
    };
    const cases = hostileRequests(SEED, COUNT, context);
    const outcomes = await mapBounded(cases, CONCURRENCY, (hostile) =>
      exchange(port, bytesToSend(hostile), { heads: hostile.heads, halfClose: hostile.halfClose, stallMs: 30_000 }),
    );
    const tally = tallyOutcomes(cases, outcomes);
    const summary = `${JSON.stringify(tally.statuses)}; ${tally.closedCleanly} cut-short requests closed unanswered`;

    expect(cases.filter((hostile) => hostile.route === "webhook").length).toBeGreaterThan(COUNT / 4);
    expect(cases.filter((hostile) => hostile.route === "admin").length).toBeGreaterThan(COUNT / 4);
    expect.soft(tally.serverErrors, `statuses ${summary}`).toEqual([]);
    expect.soft(tally.unexplained, `statuses ${summary}`).toEqual([]);
    expect.soft(tally.invalid, `statuses ${summary}`).toEqual([]);
    expect.soft(tally.unanswered, `statuses ${summary}`).toEqual([]);
    expect.soft(tally.stalled, `statuses ${summary}`).toEqual([]);
    // Also the failures no client saw (a 500 written to a connection that was already gone).
    expect.soft(gateway.output().match(/^\[http\] .* -> 5\d\d$/gm) ?? []).toEqual([]);
  }, 120_000);

  it("still answers a real Twilio-signed message and the admin API afterwards", async () => {
    const url = `${gateway.baseUrl}${WEBHOOK_PATH}`;
    const form = buildInboundForm({
      messageSid: randomMessageSid(),
      accountSid: demo.accountSid,
      from: "+15557654321",
      to: DEMO_NUMBER,
      body: "hello after the storm",
    });
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": twilioSignature(demo.authToken, url, form),
      },
      body: new URLSearchParams(form).toString(),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("<Response/>");

    const capabilities = await fetch(`${gateway.baseUrl}/admin/capabilities`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(capabilities.status).toBe(200);
    expect(await capabilities.json()).toMatchObject({ channel: "sms" });
  });
});
