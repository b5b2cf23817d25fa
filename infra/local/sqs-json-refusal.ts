import type { FauxqsApp } from "./fauxqs-access.ts";
import { sendFieldProblem } from "./sqs-send-fields.ts";
import { sqsAction, TARGET_FORM } from "./sqs-target.ts";

const JSON_PROTOCOL = "application/x-amz-json-1.0";

/**
 * Refuses, before fauxqs acts on them, the SQS JSON-protocol requests the queue journal could not follow: an
 * X-Amz-Target other than `AmazonSQS.<Action>` (fauxqs would still send or delete, unseen by the journal) and sends
 * with a body, group or dedupe id that is not a string (fauxqs would queue them; they could not be queued again).
 * The 400 names the header or field, in the JSON error shape SDKs read.
 */
export function refuseUnjournalableSqsRequests(app: FauxqsApp): void {
  app.addHook("preHandler", async (request, reply) => {
    // As fauxqs routes them: POST / with this content type goes to its SQS actions.
    const type = request.headers["content-type"] ?? "";
    if (request.method !== "POST" || request.routeOptions.url !== "/" || !type.includes(JSON_PROTOCOL)) return;
    const target = request.headers["x-amz-target"];
    const action = sqsAction(target);
    const [code, problem] =
      action === undefined
        ? ["InvalidAction", `X-Amz-Target header: expected ${TARGET_FORM}, got ${JSON.stringify(target ?? null)}`]
        : ["InvalidParameterValue", sendFieldProblem(action, request.body)];
    if (problem === undefined) return;
    reply
      .code(400)
      .header("content-type", JSON_PROTOCOL)
      .send({ __type: `com.amazonaws.sqs#${code}`, message: problem });
    return reply;
  });
}
