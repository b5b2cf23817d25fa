import type { PairingList } from "../admin/pairing.ts";
import type { ResolvedAccount } from "../config/types.ts";
import { describeInboundOutcome } from "../inbound/inbound-outcome.ts";
import { callAdmin, resolveAdminEndpoint } from "./admin-client.ts";
import { CliError } from "./cli-error.ts";
import type { CliIo } from "./io.ts";

export interface Simulated {
  account: Pick<ResolvedAccount, "id" | "agent">;
  /** `--account <id>` for follow-up commands, empty for the default account. */
  accountOption: string;
  from: string;
  /** What the gateway said became of the message (its X-Sms-Outcome header), if it said. */
  outcome: string | undefined;
}

/**
 * What became of a simulated SMS, in words, and the command that takes it further: a pairing code to approve, a
 * number to allow, or where the agent's answer shows up.
 */
export async function describeSimulated(simulated: Simulated, io: CliIo): Promise<string[]> {
  const { outcome, from, accountOption } = simulated;
  if (outcome === undefined) return ["the gateway did not say what became of it (no X-Sms-Outcome header)"];
  const said = describeInboundOutcome(outcome);
  switch (outcome) {
    case "turn":
      return [
        simulated.account.agent.kind === "queue"
          ? `${said}: your own consumer of the turns queue answers it`
          : `${said}; the gateway prints its answer as a [reply] line when it goes out`,
      ];
    case "pairing-requested":
    case "dropped:pairing-pending":
      return [said, await approvalHint(simulated, io)];
    case "dropped:not-allowed":
      return [said, `allow the sender with: npx smsctl allow add ${from}${accountOption}`];
    case "dropped:pairing-full":
      return [said, `approve or deny one first: npx smsctl pairing list${accountOption}`];
    case "opted-out":
      return [said, `the sender opts back in by texting START: npx smsctl simulate --from ${from} --body START`];
    default:
      return [said];
  }
}

/** The sender's pending code, read from the admin API; the list command when it cannot be read. */
async function approvalHint(simulated: Simulated, io: CliIo): Promise<string> {
  const { account, accountOption, from } = simulated;
  try {
    const list = (await callAdmin(
      resolveAdminEndpoint(undefined, io.env),
      { method: "GET", path: "/pairing", query: { account: account.id } },
      { fetch: io.fetch, credentials: io.credentials },
    )) as PairingList;
    const code = list.requests.find((request) => request.phone === from)?.code;
    if (code) return `approve it with: npx smsctl pairing approve ${code}${accountOption}`;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
  }
  return `see the request with: npx smsctl pairing list${accountOption}`;
}
