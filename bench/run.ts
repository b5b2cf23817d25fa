import { quietSdkNodeNotice } from "../lib/runtime/node-support.ts";
import { agentRequestsGoal, benchAgentRequests } from "./agent-requests.ts";
import { awsRequestsGoal, benchAwsRequests } from "./aws-requests.ts";
import { benchColdStart, coldStartGoals } from "./cold-start.ts";
import { benchCosts, type MeasuredRequests, PRICES } from "./costs.ts";
import { benchSegments } from "./segments.ts";
import { benchTracingBundles, tracingBundlesGoal } from "./tracing-bundles.ts";

// Every bundle loaded below would print the AWS SDK's Node 22 notice on Node 20 (README: Requirements).
quietSdkNodeNotice();

// `npm run bench`: every benchmark in turn, then their goal lines together. A missed goal is printed (GOAL MISSED),
// never an exit code; only an error fails the run.

/** The reply goals (issue 11): within 12% of OpenClaw's texts, 15% under its segments with Smart Encoding. */
const TEXTS_MAX_OVER_OPENCLAW = 0.12;
const SEGMENTS_MIN_SAVED_VS_OPENCLAW_SE = 0.15;
const SEGMENTS_MIN_SAVED_VS_NAIVE = 0.25;
/** Rendering the longest reply an agent may send stays well inside the sender's time budget. */
const WORST_RENDER_MS = 500;

function segmentsGoals(totals: Awaited<ReturnType<typeof benchSegments>>): string[] {
  const { ours, naive, openclaw } = totals;
  const smartEncoded = totals["openclaw+SE"];
  const verdict = (met: boolean) => (met ? "GOAL MET" : "GOAL MISSED");
  const textsOver = ours.texts / openclaw.texts - 1;
  const savedVsSe = 1 - ours.segments / smartEncoded.segments;
  const savedVsNaive = 1 - ours.segments / naive.segments;
  const cuts = Object.values(ours.boundaries).reduce((sum, count) => sum + count, 0);
  const unclean = ours.boundaries.word + ours.boundaries.hard;
  return [
    `${verdict(textsOver <= TEXTS_MAX_OVER_OPENCLAW)}: texts ${ours.texts} vs OpenClaw ${openclaw.texts} ` +
      `(${(textsOver * 100).toFixed(1)}% more; goal <= ${TEXTS_MAX_OVER_OPENCLAW * 100}%)`,
    `${verdict(savedVsSe >= SEGMENTS_MIN_SAVED_VS_OPENCLAW_SE)}: segments ${ours.segments} vs OpenClaw with Smart ` +
      `Encoding ${smartEncoded.segments} (${(savedVsSe * 100).toFixed(1)}% fewer; goal >= ${SEGMENTS_MIN_SAVED_VS_OPENCLAW_SE * 100}%)`,
    `${verdict(savedVsNaive >= SEGMENTS_MIN_SAVED_VS_NAIVE)}: segments ${ours.segments} vs naive ${naive.segments} ` +
      `(${(savedVsNaive * 100).toFixed(1)}% fewer; goal >= ${SEGMENTS_MIN_SAVED_VS_NAIVE * 100}%)`,
    // No sentence in the corpus is longer than a body, so every cut can be a clean one.
    `${verdict(unclean === 0)}: ${cuts - unclean} of ${cuts} cuts at a paragraph, line or sentence end (goal: all)`,
    `${verdict(totals.worstMs <= WORST_RENDER_MS)}: worst 20,000-character reply rendered in ` +
      `${totals.worstMs.toFixed(0)} ms (goal <= ${WORST_RENDER_MS} ms)`,
  ];
}

/** What the request benchmarks measured, for the costs section after them. */
const measured: Partial<MeasuredRequests> = {};

/** AWS's part of an exchange stays a small share of what the SMS segments cost. */
const AWS_MAX_SHARE_OF_SMS = 0.05;

const SECTIONS: ReadonlyArray<[title: string, run: () => Promise<string[]>]> = [
  ["Cold start: bundle size and load time per function", async () => coldStartGoals(await benchColdStart())],
  [
    "AWS requests per inbound message",
    async () => {
      const rows = await benchAwsRequests();
      const approved = rows.find((row) => row.path.startsWith("approved"));
      if (approved) measured.inbound = approved.steady;
      return [awsRequestsGoal(rows)];
    },
  ],
  [
    "AWS requests per answered turn, and the agent's memory",
    async () => {
      const result = await benchAgentRequests();
      measured.agent = result.steady;
      return agentRequestsGoal(result);
    },
  ],
  ["SMS segments billed for agent replies", async () => segmentsGoals(await benchSegments())],
  [
    "What an exchange costs",
    async () => {
      const { inbound, agent } = measured;
      if (!inbound || !agent) return ["ERROR: costs need the request counts of sections 2 and 3"];
      const { awsPerExchange } = await benchCosts({ inbound, agent });
      const share = awsPerExchange / (2 * PRICES.twilioSmsSegment);
      return [
        `${share <= AWS_MAX_SHARE_OF_SMS ? "GOAL MET" : "GOAL MISSED"}: AWS costs ${(awsPerExchange * 1e6).toFixed(1)} ` +
          `USD per million exchanges, ${(share * 100).toFixed(2)}% of their two SMS segments (goal <= ${AWS_MAX_SHARE_OF_SMS * 100}%)`,
      ];
    },
  ],
  ["Tracing: bundle size off and on", async () => [tracingBundlesGoal(await benchTracingBundles())]],
];

const goals: string[] = [];
for (const [index, [title, run]] of SECTIONS.entries()) {
  const heading = `${index + 1}. ${title}`;
  console.log(`\n${heading}\n${"=".repeat(heading.length)}\n`);
  const started = Date.now();
  try {
    goals.push(...(await run()));
  } catch (error) {
    console.error(`\n${title} failed:`, error);
    goals.push(`ERROR: ${title} did not complete`);
    process.exitCode = 1;
  }
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

console.log("\nGoals\n=====\n");
for (const line of goals) console.log(line);
