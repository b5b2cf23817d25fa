import { describeHostile, type HostileRequest } from "./hostile-requests.ts";
import type { RawOutcome } from "./raw-http-client.ts";

export interface Tally {
  /** How many responses carried each status code. */
  statuses: Record<number, number>;
  /** Cases answered with a 5xx: the server failed on bad input. */
  serverErrors: string[];
  /** 4xx answers with an empty body: refused without saying why. */
  unexplained: string[];
  /** Cases answered with bytes that are not HTTP. */
  invalid: string[];
  /** Complete, well-framed requests whose connection closed without every answer. */
  unanswered: string[];
  /** Cases that got nothing decisive at all. */
  stalled: string[];
  /** Cut-short cases that ended in a close without an answer (allowed). */
  closedCleanly: number;
}

/** Sorts each case's outcome into what is fine and what is a failure, with the request for each failure. */
export function tallyOutcomes(cases: readonly HostileRequest[], outcomes: readonly RawOutcome[]): Tally {
  const tally: Tally = {
    statuses: {},
    serverErrors: [],
    unexplained: [],
    invalid: [],
    unanswered: [],
    stalled: [],
    closedCleanly: 0,
  };
  cases.forEach((hostile, index) => {
    const outcome = outcomes[index];
    if (outcome === undefined) throw new Error(`no outcome for case ${hostile.id}`);
    outcome.responses.forEach((response, position) => {
      tally.statuses[response.status] = (tally.statuses[response.status] ?? 0) + 1;
      const silent = response.status >= 400 && response.body.length === 0 && hostile.heads[position] !== true;
      if (silent) tally.unexplained.push(`${response.status} <- ${describeHostile(hostile)}`);
    });
    const failed = outcome.responses.find((response) => response.status >= 500);
    if (failed)
      tally.serverErrors.push(
        `${failed.status} ${failed.body.toString("utf8").slice(0, 100)} <- ${describeHostile(hostile)}`,
      );
    if (outcome.kind === "invalid") tally.invalid.push(`${outcome.problem} <- ${describeHostile(hostile)}`);
    if (outcome.kind === "stalled") tally.stalled.push(describeHostile(hostile));
    if (outcome.kind === "closed") {
      if (hostile.mayClose) tally.closedCleanly++;
      else tally.unanswered.push(`${outcome.responses.length}/${hostile.heads.length} <- ${describeHostile(hostile)}`);
    }
  });
  return tally;
}
