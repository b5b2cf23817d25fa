import { type Harness, startHarness } from "../test/support/flow-harness.ts";
import { printTable } from "./print-table.ts";
import { type Counts, RequestTally, total } from "./request-tally.ts";

/*
 * What one exchange costs (a message in, the agent's turn, one reply of one text, and Twilio's status callbacks for
 * it), from the AWS requests the other benchmarks and this one count, priced with AWS's and Twilio's public list
 * prices. The prices are written here (no network at bench time): us-east-1 and Twilio US, as published in 2025.
 * Check https://aws.amazon.com/pricing and https://www.twilio.com/en-us/sms/pricing/us for today's.
 */

export const PRICES = {
  apiGatewayRestPerRequest: 3.5e-6,
  lambdaPerRequest: 0.2e-6,
  lambdaArmPerGbSecond: 0.0000133334,
  dynamoPerWriteUnit: 0.625e-6,
  dynamoPerReadUnit: 0.125e-6,
  sqsFifoPerRequest: 0.5e-6,
  logsPerGb: 0.5,
  twilioSmsSegment: 0.0083,
  alarmPerMonth: 0.1,
  dashboardPerMonth: 3,
  secretPerMonth: 0.4,
} as const;

/** What the counts cannot say, stated so the reader can redo the sum with their own numbers. */
export const ASSUMPTIONS = {
  memoryGb: 0.5,
  inboundMs: 40,
  /** The agent function waits for the model: its duration is mostly the model's latency. */
  agentMs: 2000,
  outboundMs: 300,
  /** Status callbacks Twilio sends per text (sent, delivered). */
  callbacksPerText: 2,
  /** The conversation item read and written per turn (20 messages of memory): 5 KB. */
  conversationKb: 5,
  logBytesPerExchange: 6000,
} as const;

export interface MeasuredRequests {
  inbound: { dynamo: Counts; sqs: Counts };
  agent: { dynamo: Counts; sqs: Counts };
}

interface Line {
  part: string;
  dollars: number;
  how: string;
}

const SID = `AC${"3".repeat(32)}`;
const RECIPIENT = "+15557650303";

/** A one-text reply through the real outbound batch processor, and one status callback, counted at the SDK. */
async function measureOutbound(): Promise<{ reply: { dynamo: Counts; sqs: Counts }; callback: { dynamo: Counts } }> {
  const h: Harness = await startHarness({ accountSid: SID, authToken: "costs", fromNumber: "+15551234567" });
  const tally = new RequestTally();
  tally.attach(h);
  try {
    await h.inboundDeps.queues.sendReply({
      version: 1,
      replyId: "cost:1",
      account: "default",
      to: RECIPIENT,
      text: "ok",
    });
    const reply = await tally.during(() => h.deliverReplies());
    const sid = h.twilio.messages[0]?.sid ?? "";
    const params = { MessageSid: sid, MessageStatus: "delivered", AccountSid: SID, ApiVersion: "2010-04-01" };
    const callback = await tally.during(() => h.webhook({ ...params, From: "+15551234567", To: RECIPIENT }));
    return { reply, callback: { dynamo: callback.dynamo } };
  } finally {
    await h.stop();
  }
}

const lambda = (ms: number) =>
  PRICES.lambdaPerRequest + (ms / 1000) * ASSUMPTIONS.memoryGb * PRICES.lambdaArmPerGbSecond;
/** Writes of items under 1 KB cost one unit each; strongly consistent reads under 4 KB one unit. */
const dynamo = (counts: Counts, itemKb = 1) => {
  const reads = (counts.GetItem ?? 0) + (counts.BatchGetItem ?? 0);
  const writes = total(counts) - reads;
  return (
    reads * Math.ceil(itemKb / 4) * PRICES.dynamoPerReadUnit + writes * Math.ceil(itemKb) * PRICES.dynamoPerWriteUnit
  );
};

function exchangeLines(measured: MeasuredRequests, outbound: Awaited<ReturnType<typeof measureOutbound>>): Line[] {
  const callbacks = ASSUMPTIONS.callbacksPerText;
  const webhookCalls = 1 + callbacks;
  return [
    {
      part: "API Gateway (message + callbacks)",
      dollars: webhookCalls * PRICES.apiGatewayRestPerRequest,
      how: `${webhookCalls} requests`,
    },
    {
      part: "Lambda (inbound, agent, outbound)",
      dollars:
        webhookCalls * lambda(ASSUMPTIONS.inboundMs) + lambda(ASSUMPTIONS.agentMs) + lambda(ASSUMPTIONS.outboundMs),
      how: `${webhookCalls} x ${ASSUMPTIONS.inboundMs} ms, ${ASSUMPTIONS.agentMs} ms, ${ASSUMPTIONS.outboundMs} ms at ${ASSUMPTIONS.memoryGb * 1024} MB arm64`,
    },
    {
      part: "DynamoDB",
      dollars:
        dynamo(measured.inbound.dynamo) +
        dynamo(measured.agent.dynamo, ASSUMPTIONS.conversationKb) +
        dynamo(outbound.reply.dynamo) +
        callbacks * dynamo(outbound.callback.dynamo),
      how: `${total(measured.inbound.dynamo)} + ${total(measured.agent.dynamo)} (${ASSUMPTIONS.conversationKb} KB item) + ${total(outbound.reply.dynamo)} + ${callbacks} x ${total(outbound.callback.dynamo)} requests`,
    },
    {
      part: "SQS FIFO",
      // The turn is received and deleted by the agent's event source mapping, as the reply is by the outbound one.
      dollars:
        (total(measured.inbound.sqs) + 2 + total(measured.agent.sqs) + total(outbound.reply.sqs)) *
        PRICES.sqsFifoPerRequest,
      how: `${total(measured.inbound.sqs) + 2 + total(measured.agent.sqs) + total(outbound.reply.sqs)} requests`,
    },
    {
      part: "CloudWatch Logs (JSON logs and EMF metrics)",
      dollars: (ASSUMPTIONS.logBytesPerExchange / 1e9) * PRICES.logsPerGb,
      how: `${ASSUMPTIONS.logBytesPerExchange / 1000} KB`,
    },
  ];
}

export async function benchCosts(measured: MeasuredRequests): Promise<{ awsPerExchange: number }> {
  const outbound = await measureOutbound();
  const lines = exchangeLines(measured, outbound);
  const aws = lines.reduce((sum, line) => sum + line.dollars, 0);
  const sms = 2 * PRICES.twilioSmsSegment; // the message in and the one-segment reply out
  const perThousand = (dollars: number) => `$${(dollars * 1000).toFixed(4)}`;
  printTable(
    ["per 1,000 exchanges", "cost", "share", "from"],
    [
      ...lines.map((line) => [
        line.part,
        perThousand(line.dollars),
        `${((line.dollars / (aws + sms)) * 100).toFixed(2)}%`,
        line.how,
      ]),
      ["AWS, all of it", perThousand(aws), `${((aws / (aws + sms)) * 100).toFixed(2)}%`, ""],
      [
        "Twilio: 1 segment in, 1 out",
        perThousand(sms),
        `${((sms / (aws + sms)) * 100).toFixed(2)}%`,
        `$${PRICES.twilioSmsSegment} a segment, carrier fees extra`,
      ],
    ],
  );
  console.log(
    `\nThe model's own price is not included. Fixed each month: ${PRICES.alarmPerMonth * 20} USD for about 20 alarms, ` +
      `${PRICES.dashboardPerMonth} USD for the dashboard (3 are free per account), ${PRICES.secretPerMonth} USD per ` +
      "secret; the free tiers of Lambda, API Gateway, SQS and DynamoDB are left out.",
  );
  return { awsPerExchange: aws };
}
