import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { signRequest } from "../../../lib/aws/sigv4.ts";
import { lambdaCredentials, snsOwnerTopic } from "../../../lib/notify/sns-owner-topic.ts";

// SNS's Query protocol over HTTP, as sns.<region>.amazonaws.com speaks it: a form POST signed with SigV4 for
// service "sns", answered with a PublishResponse (or an ErrorResponse) in XML.

const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "session" };
const TOPIC = "arn:aws:sns:eu-west-1:123456789012:SmsChannel-Alarms";

interface Received {
  headers: Record<string, string>;
  form: URLSearchParams;
  signatureValid: boolean;
}

describe("publishing a pairing request to the owner topic (SNS Query API)", () => {
  let server: Server;
  let endpoint: string;
  const received: Received[] = [];
  let answer: { status: number; body: string } = { status: 200, body: "" };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on("end", async () => {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        // The stand-in signs the same request again with the same credentials and date: a match proves SigV4.
        const url = new URL(req.url ?? "/", endpoint);
        const date = headers["x-amz-date"] ?? "";
        const resigned = await signRequest(
          { method: "POST", url, headers: { "content-type": headers["content-type"] ?? "" }, body },
          {
            credentials: CREDENTIALS,
            region: "eu-west-1",
            service: "sns",
            date: new Date(date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z")),
          },
        );
        received.push({
          headers,
          form: new URLSearchParams(body),
          signatureValid: resigned.authorization === headers.authorization,
        });
        res.writeHead(answer.status, { "content-type": "text/xml" }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
    answer = {
      status: 200,
      body: "<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>",
    };
  });

  const topic = () => snsOwnerTopic({ topicArn: TOPIC, credentials: () => CREDENTIALS, endpoint });

  it("sends one signed Publish with the topic, a subject SNS accepts and the message", async () => {
    await topic().publish(`sms-channel: pairing request on “café” ${"x".repeat(120)}`, "New pairing request …");
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.signatureValid).toBe(true);
    expect(request?.headers.authorization).toContain("/eu-west-1/sns/aws4_request");
    expect(request?.headers["x-amz-security-token"]).toBe("session");
    expect(Object.fromEntries(request?.form ?? [])).toMatchObject({
      Action: "Publish",
      Version: "2010-03-31",
      TopicArn: TOPIC,
      Message: "New pairing request …",
    });
    const subject = request?.form.get("Subject") ?? "";
    expect(subject).toMatch(/^sms-channel: pairing request on \?caf\?\? x+$/);
    expect(subject).toHaveLength(100);
  });

  it("fails with SNS's error code when the call is refused", async () => {
    answer = {
      status: 403,
      body: "<ErrorResponse><Error><Type>Sender</Type><Code>AuthorizationError</Code></Error></ErrorResponse>",
    };
    await expect(topic().publish("s", "m")).rejects.toThrow("SNS Publish answered 403: AuthorizationError");
  });

  it("takes the function's credentials from the environment Lambda gives it", () => {
    expect(lambdaCredentials({ AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "b", AWS_SESSION_TOKEN: "c" })).toEqual({
      accessKeyId: "a",
      secretAccessKey: "b",
      sessionToken: "c",
    });
    expect(() => lambdaCredentials({})).toThrow("no AWS credentials in the environment");
  });
});
