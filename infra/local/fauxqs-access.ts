import type { buildApp } from "fauxqs";
import type { InspectedQueue } from "./queue-snapshot.ts";

export type FauxqsApp = ReturnType<typeof buildApp>;
export type Fields = Record<string, unknown>;
export type SqsCall = (action: string, body: Fields) => Promise<Fields>;

/** fauxqs answered a call with an error: `reason` is what it said. */
export class SqsCallError extends Error {
  constructor(
    action: string,
    readonly reason: string,
  ) {
    super(`embedded SQS ${action} failed: ${reason}`);
  }
}

/**
 * SQS JSON-protocol calls straight into the embedded fauxqs, from this process: they pass the same hooks as any
 * client's (so restored messages are journaled). `host` is the listening address, which fauxqs puts in queue URLs.
 */
export function sqsCaller(app: FauxqsApp, host: string): SqsCall {
  return async (action, body) => {
    const response = await app.inject({
      method: "POST",
      url: "/",
      headers: { host, "content-type": "application/x-amz-json-1.0", "x-amz-target": `AmazonSQS.${action}` },
      payload: JSON.stringify(body),
    });
    const answer = response.json() as Fields;
    if (response.statusCode !== 200) throw new SqsCallError(action, String(answer.message ?? response.body));
    return answer;
  };
}

/** Everything fauxqs holds in a queue, through its read-only inspection endpoint. */
export async function inspectQueue(app: FauxqsApp, queueName: string): Promise<InspectedQueue | undefined> {
  const response = await app.inject({ method: "GET", url: `/_fauxqs/queues/${encodeURIComponent(queueName)}` });
  return response.statusCode === 200 ? (response.json() as InspectedQueue) : undefined;
}
