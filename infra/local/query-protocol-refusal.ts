import type { FauxqsApp } from "./fauxqs-access.ts";

const MESSAGE =
  "This local SQS endpoint speaks the AWS JSON protocol only (POST with X-Amz-Target: AmazonSQS.SendMessage and the like and " +
  "Content-Type: application/x-amz-json-1.0, as the AWS SDK v3 and AWS CLI v2 send). Query protocol requests " +
  "(form-encoded Action=...) are refused: the gateway could not journal their messages across a crash.";

/**
 * fauxqs hands form-encoded requests to its SNS emulation, which would answer an SQS Query-protocol client with a
 * puzzling "Unknown action", and SNS could deliver into the channel's queues past the journal. Both are refused
 * with a Query-protocol (XML) error the client can show. GetCallerIdentity (STS) stays: some tools ask it first.
 */
export function refuseQueryProtocol(app: FauxqsApp): void {
  app.addHook("preHandler", async (request, reply) => {
    const type = request.headers["content-type"] ?? "";
    if (request.method !== "POST" || !type.includes("application/x-www-form-urlencoded")) return;
    if ((request.body as Record<string, unknown> | undefined)?.Action === "GetCallerIdentity") return;
    reply
      .code(400)
      .header("content-type", "text/xml")
      .send(
        "<ErrorResponse><Error><Type>Sender</Type><Code>UnsupportedProtocol</Code>" +
          `<Message>${MESSAGE}</Message></Error></ErrorResponse>`,
      );
    return reply;
  });
}
