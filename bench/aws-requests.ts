import { type Harness, inboundSms, startHarness } from "../test/support/flow-harness.ts";
import { type Counts, formatCounts, RequestTally, total } from "./request-tally.ts";

// AWS requests one inbound webhook costs, path by path, counted at the SDK (every HTTP attempt, retries included)
// while the real inbound use-case runs against dynalite and fauxqs.

const SID = `AC${"1".repeat(32)}`;
const TOKEN = "bench-auth-token";
const OWNER = "+15557654321";
const RUNS = 5;
/** Between two messages of a run: keeps every run inside one rate-limit minute. */
const STEP_MS = 5_000;
/** Past the pairing TTL, so an earlier run's pending request has expired and the next stranger gets a new one. */
const PAST_PAIRING_TTL_MS = 61 * 60 * 1000;

export interface AwsRequestsRow {
  path: string;
  /** Requests of the first message the container handles. */
  first: { dynamo: Counts; sqs: Counts };
  steady: { dynamo: Counts; sqs: Counts };
  /** Runs after the first whose counts differed from the steady state (should be none). */
  irregularRuns: number;
}

interface PathScenario {
  path: string;
  sms: Record<string, unknown>;
  /** Sets the scene before the counted runs (not counted). */
  prepare?(h: Harness): Promise<void>;
  /** One run: what it sends (counted) and a check that the path did what it says (not counted). */
  run(h: Harness, tally: RequestTally, index: number): Promise<{ dynamo: Counts; sqs: Counts }>;
}

const pairingSection = {
  enabled: true,
  accountSid: SID,
  authToken: TOKEN,
  fromNumber: "+15551234567",
  dmPolicy: "pairing",
  allowFrom: [OWNER],
};
const allowlistSection = { ...pairingSection, dmPolicy: "allowlist" };
const stranger = (index: number) => `+1555000${String(1000 + index)}`;

async function webhookOk(h: Harness, form: Record<string, string>): Promise<void> {
  const response = await h.webhook(form);
  if (response.statusCode !== 200) throw new Error(`webhook answered ${response.statusCode}: ${response.body}`);
}

async function expectDepth(h: Harness, url: string, expected: number, what: string): Promise<void> {
  const depth = await h.queueDepth(url);
  if (depth !== expected) throw new Error(`${what}: expected ${expected} message(s) on the queue, found ${depth}`);
}

async function expectTurns(h: Harness, expected: number, what: string): Promise<void> {
  const turns = await h.receiveTurns();
  if (turns.length !== expected) throw new Error(`${what}: expected ${expected} turn(s), got ${turns.length}`);
}

const SCENARIOS: PathScenario[] = [
  {
    path: "approved (allowed sender -> turn)",
    sms: pairingSection,
    async run(h, tally) {
      h.clock.now += STEP_MS;
      const counted = await tally.during(() => webhookOk(h, inboundSms(h.account(), OWNER, "hello")));
      await expectTurns(h, 1, "approved");
      return counted;
    },
  },
  {
    path: "pairing (unknown sender, new request)",
    sms: pairingSection,
    async run(h, tally, index) {
      h.clock.now += PAST_PAIRING_TTL_MS;
      const before = await h.queueDepth(h.aws.queueUrls.replies);
      const counted = await tally.during(() => webhookOk(h, inboundSms(h.account(), stranger(index), "hi")));
      await expectDepth(h, h.aws.queueUrls.replies, before + 1, "pairing reply");
      await expectTurns(h, 0, "pairing");
      return counted;
    },
  },
  {
    path: "pairing (unknown sender, request already pending)",
    sms: pairingSection,
    prepare: (h) => webhookOk(h, inboundSms(h.account(), stranger(0), "hi")),
    async run(h, tally) {
      h.clock.now += STEP_MS;
      const counted = await tally.during(() => webhookOk(h, inboundSms(h.account(), stranger(0), "hi again")));
      await expectTurns(h, 0, "pending");
      return counted;
    },
  },
  {
    path: "denied (unknown sender, allowlist)",
    sms: allowlistSection,
    async run(h, tally, index) {
      h.clock.now += STEP_MS;
      const counted = await tally.during(() => webhookOk(h, inboundSms(h.account(), stranger(index), "hi")));
      await expectTurns(h, 0, "denied");
      await expectDepth(h, h.aws.queueUrls.replies, 0, "denied");
      return counted;
    },
  },
  {
    path: "duplicate (same MessageSid again; 2nd delivery)",
    sms: pairingSection,
    async run(h, tally) {
      h.clock.now += STEP_MS;
      const form = inboundSms(h.account(), OWNER, "twice");
      await webhookOk(h, form);
      const counted = await tally.during(() => webhookOk(h, form));
      await expectTurns(h, 1, "duplicate");
      return counted;
    },
  },
  {
    path: "opt-out (STOP)",
    sms: pairingSection,
    async run(h, tally, index) {
      h.clock.now += STEP_MS;
      const counted = await tally.during(() => webhookOk(h, inboundSms(h.account(), stranger(index), "STOP")));
      await expectTurns(h, 0, "opt-out");
      return counted;
    },
  },
];

const signature = (counts: { dynamo: Counts; sqs: Counts }) => JSON.stringify(counts);

async function measureScenario(scenario: PathScenario): Promise<AwsRequestsRow> {
  const h = await startHarness(scenario.sms);
  try {
    await scenario.prepare?.(h);
    const tally = new RequestTally();
    tally.attach(h);
    const runs: Array<{ dynamo: Counts; sqs: Counts }> = [];
    for (let index = 1; index <= RUNS; index++) runs.push(await scenario.run(h, tally, index));
    const [first, ...rest] = runs;
    if (!first) throw new Error("no runs");
    const steady = mostCommon(rest.length > 0 ? rest : [first]);
    return {
      path: scenario.path,
      first,
      steady,
      irregularRuns: rest.filter((r) => signature(r) !== signature(steady)).length,
    };
  } finally {
    await h.stop();
  }
}

/** The approved path again, across a minute boundary: the first message of a minute also clears stale counters. */
async function measureNewMinute(): Promise<{ dynamo: Counts; sqs: Counts }> {
  const h = await startHarness(pairingSection);
  try {
    await webhookOk(h, inboundSms(h.account(), OWNER, "warm up"));
    await expectTurns(h, 1, "warm up");
    h.clock.now += 60_000;
    const tally = new RequestTally();
    tally.attach(h);
    const counted = await tally.during(() => webhookOk(h, inboundSms(h.account(), OWNER, "next minute")));
    await expectTurns(h, 1, "new minute");
    return counted;
  } finally {
    await h.stop();
  }
}

function mostCommon<T>(values: readonly T[]): T {
  const bySignature = new Map<string, { value: T; count: number }>();
  for (const value of values) {
    const key = JSON.stringify(value);
    const entry = bySignature.get(key) ?? { value, count: 0 };
    entry.count++;
    bySignature.set(key, entry);
  }
  const best = [...bySignature.values()].sort((a, b) => b.count - a.count)[0];
  if (!best) throw new Error("no values");
  return best.value;
}

export async function benchAwsRequests(): Promise<AwsRequestsRow[]> {
  const rows: AwsRequestsRow[] = [];
  for (const scenario of SCENARIOS) rows.push(await measureScenario(scenario));
  const newMinute = await measureNewMinute();
  printRows(rows, newMinute);
  return rows;
}

function printRows(rows: readonly AwsRequestsRow[], newMinute: { dynamo: Counts; sqs: Counts }): void {
  console.log(`Real inbound use-case against dynalite + fauxqs; ${RUNS} messages per path, each HTTP attempt counted.`);
  console.log("steady = the usual count from message 2 on; first = the container's first message, when different.\n");
  const lines: string[][] = [["path", "", "DynamoDB", "SQS"]];
  for (const row of rows) {
    lines.push([row.path, "steady", formatCounts(row.steady.dynamo), formatCounts(row.steady.sqs)]);
    if (signature(row.first) !== signature(row.steady)) {
      lines.push(["", "first", formatCounts(row.first.dynamo), formatCounts(row.first.sqs)]);
    }
    if (row.irregularRuns > 0) lines.push(["", `(${row.irregularRuns} later run(s) differed)`, "", ""]);
  }
  lines.push([
    "approved, first message of a new minute",
    "",
    formatCounts(newMinute.dynamo),
    formatCounts(newMinute.sqs),
  ]);
  const widths = [0, 1, 2, 3].map((column) => Math.max(...lines.map((line) => (line[column] ?? "").length)));
  for (const line of lines) console.log(line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  "));

  console.log(
    "\nNot counted here: on AWS the auth token for signature checks comes from Secrets Manager, one GetSecretValue" +
      "\nper container every 5 minutes (cached); the harness resolves it from the environment.",
  );

  console.log(awsRequestsGoal(rows));
}

export function awsRequestsGoal(rows: readonly AwsRequestsRow[]): string {
  const approved = rows.find((row) => row.path.startsWith("approved"));
  if (!approved) return "GOAL MISSED: the approved path was not measured";
  const { dynamo, sqs } = approved.steady;
  // The gate is one UpdateItem; remembering the MessageSid for replays (issue 7) adds one GetItem and one UpdateItem.
  const met = total(dynamo) <= 3 && (dynamo.GetItem ?? 0) <= 1 && total(sqs) === 1 && sqs.SendMessage === 1;
  return (
    `${met ? "GOAL MET" : "GOAL MISSED"}: approved message, steady state: DynamoDB ${formatCounts(dynamo)}, ` +
    `SQS ${formatCounts(sqs)} (goal: the gate in one DynamoDB request, the MessageSid receipt in one read and one ` +
    "write, plus the SQS send)"
  );
}
