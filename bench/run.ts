import { agentRequestsGoal, benchAgentRequests } from "./agent-requests.ts";
import { awsRequestsGoal, benchAwsRequests } from "./aws-requests.ts";
import { benchColdStart, coldStartGoals } from "./cold-start.ts";
import { benchSegments } from "./segments.ts";

// `npm run bench`: every benchmark in turn, then their goal lines together. A missed goal is printed (GOAL MISSED),
// never an exit code; only an error fails the run.

/** The segment goals bench/segments.ts prints beside its totals: within 3% of the lower bound, 25% under naive. */
const SEGMENTS_MAX_OVER_BOUND = 0.03;
const SEGMENTS_MIN_SAVED_VS_NAIVE = 0.25;

function segmentsGoals(totals: { ours: number; lowerBound: number; naive: number }): string[] {
  const over = totals.ours / totals.lowerBound - 1;
  const saved = 1 - totals.ours / totals.naive;
  const verdict = (met: boolean) => (met ? "GOAL MET" : "GOAL MISSED");
  return [
    `${verdict(over <= SEGMENTS_MAX_OVER_BOUND)}: segments ${totals.ours} vs lower bound ${totals.lowerBound} ` +
      `(${Math.abs(over * 100).toFixed(1)}% ${over >= 0 ? "over" : "under"}; goal <= ${SEGMENTS_MAX_OVER_BOUND * 100}% over)`,
    `${verdict(saved >= SEGMENTS_MIN_SAVED_VS_NAIVE)}: segments ${totals.ours} vs naive ${totals.naive} ` +
      `(${(saved * 100).toFixed(1)}% fewer; goal >= ${SEGMENTS_MIN_SAVED_VS_NAIVE * 100}%)`,
  ];
}

const SECTIONS: ReadonlyArray<[title: string, run: () => Promise<string[]>]> = [
  ["Cold start: bundle size and load time per function", async () => coldStartGoals(await benchColdStart())],
  ["AWS requests per inbound message", async () => [awsRequestsGoal(await benchAwsRequests())]],
  ["AWS requests per answered turn, and the agent's memory", async () => agentRequestsGoal(await benchAgentRequests())],
  ["SMS segments billed for agent replies", async () => segmentsGoals(await benchSegments())],
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
