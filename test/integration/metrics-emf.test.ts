import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { deliverReply } from "../../lib/outbound/deliver-reply.ts";
import { countSegments, renderSmsBodies } from "../../lib/text/index.ts";
import { metrics } from "../../lib/wiring/metrics.ts";
import { type Harness, inboundSms, startHarness } from "../support/flow-harness.ts";

// The EMF lines the handlers' code writes through the real Powertools adapter, one per event, read back as
// CloudWatch would: namespace SmsChannel, dimension sets [account] and [account, <breakdown>], never a number or
// a body.

const SID = `AC${"4".repeat(32)}`;
const HEX_TOKEN = "0123456789abcdef0123456789abcdef";
const ALLOWED = "+15550101010";
const STRANGER = "+15550202020";
/** Replies go to a number that never texted STOP in these tests. */
const RECIPIENT = "+15550303030";

interface EmfLine {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }>;
  };
  [key: string]: unknown;
}

/** Everything written to stdout while `run` ran, as parsed EMF lines. */
async function emfLinesOf(run: () => Promise<unknown>): Promise<EmfLine[]> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return written
    .join("")
    .split("\n")
    .filter((line) => line.startsWith('{"_aws"'))
    .map((line) => JSON.parse(line) as EmfLine);
}

/** name=value (and the breakdown) of each line, e.g. "InboundMessages=1 outcome=turn". */
function summary(lines: readonly EmfLine[]): string[] {
  return lines.map((line) => {
    const [directive] = line._aws.CloudWatchMetrics;
    const name = directive?.Metrics[0]?.Name ?? "(none)";
    const breakdown = directive?.Dimensions.flat().find((key) => key !== "account");
    return `${name}=${String(line[name])}${breakdown ? ` ${breakdown}=${String(line[breakdown])}` : ""}`;
  });
}

describe("metrics: the EMF lines each outcome writes", () => {
  let h: Harness;
  const previous = process.env.POWERTOOLS_METRICS_DISABLED;

  beforeAll(async () => {
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    h = await startHarness(
      {
        accountSid: SID,
        authToken: HEX_TOKEN,
        fromNumber: "+15552220101",
        dmPolicy: "allowlist",
        allowFrom: [ALLOWED],
      },
      { metrics },
    );
  });
  afterAll(async () => {
    await h.stop();
    if (previous !== undefined) process.env.POWERTOOLS_METRICS_DISABLED = previous;
  });
  beforeEach(() => h.twilio.clearFaults());
  afterEach(() => h.twilio.clearFaults());

  it("every line is valid EMF in namespace SmsChannel with the account dimension, and holds no number or body", async () => {
    const lines = await emfLinesOf(() => h.webhook(inboundSms(h.account(), ALLOWED, "secret plans for friday")));
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line?._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: "SmsChannel",
        Dimensions: [["account"], ["account", "outcome"]],
        Metrics: [{ Name: "InboundMessages", Unit: "Count" }],
      },
    ]);
    expect(line).toMatchObject({ account: "default", outcome: "turn", InboundMessages: 1 });
    const text = JSON.stringify(lines);
    expect(text).not.toContain("0101010");
    expect(text).not.toContain("secret plans");
  });

  it("inbound: turn, duplicate, dropped by reason, opt-out, help, refused", async () => {
    const account = h.account();
    const repeated = inboundSms(account, ALLOWED, "again");
    const lines = await emfLinesOf(async () => {
      await h.webhook(repeated);
      await h.webhook(repeated);
      await h.webhook(inboundSms(account, STRANGER, "let me in"));
      await h.webhook(inboundSms(account, ALLOWED, "HELP"));
      await h.webhook(inboundSms(account, ALLOWED, "STOP"));
      await h.webhook(inboundSms(account, ALLOWED, "hi"), { signature: "forged" });
      await h.webhook(inboundSms(account, ALLOWED, "hi", { AccountSid: `AC${"5".repeat(32)}` }));
    });
    expect(summary(lines)).toEqual([
      "InboundMessages=1 outcome=turn",
      "InboundMessages=1 outcome=duplicate",
      "InboundMessages=1 outcome=dropped:not-allowed",
      "InboundMessages=1 outcome=help",
      "InboundMessages=1 outcome=opted-out",
      "InboundMessages=1 outcome=refused:signature",
      "InboundMessages=1 outcome=refused:account-sid",
    ]);
  });

  it("delivery statuses by status, and a delivery error by its Twilio code, each counted once", async () => {
    const status = (MessageStatus: string, extra: Record<string, string> = {}) => ({
      MessageSid: `SM${"7".repeat(32)}`,
      MessageStatus,
      AccountSid: SID,
      From: "+15552220101",
      To: ALLOWED,
      ApiVersion: "2010-04-01",
      ...extra,
    });
    const lines = await emfLinesOf(async () => {
      await h.webhook(status("sent"));
      await h.webhook(status("undelivered", { ErrorCode: "30003" }));
      // Twilio retries a callback; the repeat is recorded once and counted once.
      await h.webhook(status("undelivered", { ErrorCode: "30003" }));
      await h.webhook(status("sent"));
    });
    expect(summary(lines)).toEqual([
      "DeliveryStatuses=1 status=sent",
      "DeliveryStatuses=1 status=undelivered",
      "TwilioErrors=1 code=30003",
    ]);
  });

  it("outbound: texts sent, segments billed, the reply sent; a Twilio error by code and the reply failed", async () => {
    const long = `${"A line of plain words that goes on. ".repeat(60)}`.trim(); // 2,159 characters: 2 texts
    const delivered = await emfLinesOf(async () => {
      await h.inboundDeps.queues.sendReply({
        version: 1,
        replyId: "emf:1",
        account: "default",
        to: RECIPIENT,
        text: long,
      });
      await h.deliverReplies();
    });
    const bodies = renderSmsBodies(long);
    expect(bodies).toHaveLength(2);
    expect(summary(delivered)).toEqual([
      ...bodies.flatMap((body) => ["TextsSent=1", `SegmentsBilled=${countSegments(body).segments}`]),
      "RepliesSent=1",
    ]);
    h.twilio.injectFault({ kind: "http", status: 400, code: 21211, message: "Invalid 'To' Phone Number" });
    const refused = await emfLinesOf(async () => {
      await h.inboundDeps.queues.sendReply({
        version: 1,
        replyId: "emf:2",
        account: "default",
        to: RECIPIENT,
        text: "x",
      });
      await h.deliverReplies();
    });
    expect(summary(refused)).toEqual([
      "TwilioErrors=1 code=21211",
      "SendFailures=1 reason=21211",
      "RepliesFailed=1 reason=failed",
    ]);
  });

  it("a send Twilio never answered counts as a failed send (the failure-rate alarm sees it)", async () => {
    h.twilio.injectFault({ kind: "delay", ms: 2500 });
    const lines = await emfLinesOf(async () => {
      await h.inboundDeps.queues.sendReply({
        version: 1,
        replyId: "emf:3",
        account: "default",
        to: RECIPIENT,
        text: "y",
      });
      await h.deliverReplies();
    });
    expect(summary(lines)).toEqual(["SendFailures=1 reason=timeout"]);
  });
});

describe("metrics: sends refused while the auth-token secret holds its placeholder", () => {
  it("counts AuthTokenNotSet only when the token is not shaped like a Twilio token", async () => {
    const previous = process.env.POWERTOOLS_METRICS_DISABLED;
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    const placeholder = await startHarness(
      { accountSid: SID, authToken: "Xq7PlaceholderNotAToken0000000000", fromNumber: "+15552220102" },
      { metrics },
    );
    const real = await startHarness({ accountSid: SID, authToken: HEX_TOKEN, fromNumber: "+15552220103" }, { metrics });
    try {
      const refusedWith = async (h: Harness) => {
        h.twilio.injectFault({ kind: "http", status: 401, times: 2 });
        return summary(
          await emfLinesOf(() =>
            deliverReply(
              { version: 1, replyId: "auth:1", account: "default", to: ALLOWED, text: "hi" },
              h.outboundDeps,
            ).catch(() => undefined),
          ),
        );
      };
      expect(await refusedWith(placeholder)).toEqual([
        "TwilioErrors=1 code=20003",
        "SendFailures=1 reason=20003",
        "AuthTokenNotSet=1",
      ]);
      expect(await refusedWith(real)).toEqual(["TwilioErrors=1 code=20003", "SendFailures=1 reason=20003"]);
    } finally {
      await placeholder.stop();
      await real.stop();
      if (previous !== undefined) process.env.POWERTOOLS_METRICS_DISABLED = previous;
    }
  });
});
