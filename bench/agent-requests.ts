import { randomBytes } from "node:crypto";
import { type AgentDeps, answerTurn } from "../lib/agent/answer-turn.ts";
import { createOpenAiChatModel } from "../lib/agent/openai-chat-model.ts";
import { prepareTurnMedia } from "../lib/agent/turn-media.ts";
import { createTwilioMediaFetcher } from "../lib/agent/twilio-media-fetcher.ts";
import { silentLog } from "../lib/log/log.ts";
import { noMetrics } from "../lib/metrics/metrics.ts";
import type { Turn } from "../lib/queue/messages.ts";
import { ConversationStore } from "../lib/store/conversation-store.ts";
import { type Harness, startHarness } from "../test/support/flow-harness.ts";
import { startOpenAiStandIn } from "../test/support/openai-stand-in.ts";
import { type Counts, formatCounts, RequestTally, total } from "./request-tally.ts";

// The agent function's AWS requests per answered turn, counted at the SDK while the real use-case (answerTurn with
// the real OpenAI-compatible connector against the protocol stand-in) runs on dynalite and fauxqs; and the memory a
// turn with the most media takes (five images at the per-image limit), to size the function.

const SID = `AC${"3".repeat(32)}`;
const OWNER = "+15557654321";
const RUNS = 5;
const MAX_IMAGE_BYTES = 3_700_000;

export interface AgentBenchResult {
  steady: { dynamo: Counts; sqs: Counts };
  first: { dynamo: Counts; sqs: Counts };
  peakRssGrowthMb: number;
  baselineRssMb: number;
}

export async function benchAgentRequests(): Promise<AgentBenchResult> {
  const model = await startOpenAiStandIn({ model: "bench-model" });
  const h = await startHarness({
    accountSid: SID,
    authToken: "bench-token",
    fromNumber: "+15551234567",
    dmPolicy: "open",
    allowFrom: ["*"],
    agent: { kind: "openai", baseUrl: model.baseUrl, model: "bench-model", history: 20 },
  });
  try {
    const deps = agentDeps(h, model.baseUrl);
    const tally = new RequestTally();
    tally.attach(h);
    const runs = [];
    for (let index = 1; index <= RUNS; index++) {
      runs.push(await tally.during(() => answerTurn(turn(`question ${index}`), deps)));
    }
    const [first, ...rest] = runs;
    if (!first || rest.length === 0) throw new Error("no runs");
    const memory = await measureMediaTurn(h, deps);
    const result = { first, steady: rest[rest.length - 1] ?? first, ...memory };
    print(result);
    return result;
  } finally {
    await h.stop();
    await model.close();
  }
}

function agentDeps(h: Harness, baseUrl: string): AgentDeps {
  const account = h.account();
  return {
    config: h.runtime,
    conversations: new ConversationStore(h.aws.dynamo, h.aws.tableName),
    modelFor: () => createOpenAiChatModel({ baseUrl, model: "bench-model", apiKey: async () => undefined }),
    prepareMedia: (t) =>
      prepareTurnMedia(
        t,
        createTwilioMediaFetcher({
          accountSid: account.accountSid,
          authToken: async () => "bench-token",
          baseUrl: h.twilio.url,
        }),
      ),
    publishReply: (reply) => h.inboundDeps.queues.sendReply(reply),
    now: () => h.clock.now,
    log: silentLog,
    metrics: noMetrics,
    maxAttempts: 4,
  };
}

let counter = 0;
function turn(
  text: string,
  media: Turn["media"] = [],
  messageSid = `SM${(++counter).toString(16).padStart(32, "0")}`,
): Turn {
  return {
    version: 1,
    turnId: `default:${messageSid}`,
    account: "default",
    channel: "sms",
    messageSid,
    from: OWNER,
    to: "+15551234567",
    text,
    media,
    receivedAt: new Date(0).toISOString(),
  };
}

/** Peak RSS above the idle process while one turn with five maximum-size images is answered. */
async function measureMediaTurn(
  h: Harness,
  deps: AgentDeps,
): Promise<{ peakRssGrowthMb: number; baselineRssMb: number }> {
  const messageSid = `MM${randomBytes(16).toString("hex")}`;
  // A JPEG signature, then noise: the fetcher checks the type by its first bytes.
  const jpeg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(MAX_IMAGE_BYTES - 4)]);
  const media = Array.from({ length: 5 }, () => ({
    url: h.twilio.addMedia({ accountSid: SID, messageSid, contentType: "image/jpeg", data: jpeg() }),
    contentType: "image/jpeg",
  }));
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    await answerTurn(turn("what are these?", media, messageSid), deps);
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { peakRssGrowthMb: (peak - baseline) / 2 ** 20, baselineRssMb: baseline / 2 ** 20 };
}

function print(result: AgentBenchResult): void {
  console.log(`answerTurn with the OpenAI-compatible connector against its stand-in; ${RUNS} turns of one sender.`);
  console.log(`first turn:  DynamoDB ${formatCounts(result.first.dynamo)}, SQS ${formatCounts(result.first.sqs)}`);
  console.log(`steady:      DynamoDB ${formatCounts(result.steady.dynamo)}, SQS ${formatCounts(result.steady.sqs)}`);
  console.log("(the model call aside; Lambda's event source mapping receives and deletes the turn itself)");
  console.log(
    `memory: a turn with five ${(MAX_IMAGE_BYTES / 1e6).toFixed(1)} MB images raised RSS by ` +
      `${result.peakRssGrowthMb.toFixed(0)} MB at its peak, above ${result.baselineRssMb.toFixed(0)} MB for the whole ` +
      "bench process (the function is given 512 MB)",
  );
}

export function agentRequestsGoal(result: AgentBenchResult): string[] {
  const { dynamo, sqs } = result.steady;
  const met = total(dynamo) <= 2 && total(sqs) <= 1;
  return [
    `${met ? "GOAL MET" : "GOAL MISSED"}: answered turn, steady state: DynamoDB ${formatCounts(dynamo)}, SQS ` +
      `${formatCounts(sqs)} (goal: at most 2 DynamoDB + 1 SQS, the model call aside)`,
  ];
}
