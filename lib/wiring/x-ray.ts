import { Tracer } from "@aws-lambda-powertools/tracer";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import type { MiddlewareObj } from "@middy/core";
import type { TwilioRestClient } from "../twilio/rest-client.ts";
import { type OpenSubsegment, tracedTwilioClient } from "./traced-twilio.ts";

/*
 * The only module that imports the tracer, loaded by lib/wiring/tracing.ts when tracing is on. Outside Lambda the
 * Tracer switches itself off. It also records each fetch and http(s) request as a subsegment named by its host,
 * with the URL's path but never its query string (where Twilio lookups carry phone numbers).
 */
const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "sms-channel" });

/** The `## index.handler` subsegment with ColdStart and Service annotations; never the response (admin's lists numbers). */
export function handlerMiddleware(): MiddlewareObj {
  return captureLambdaHandler(tracer, { captureResponse: false }) as MiddlewareObj;
}

/** Each call of the client becomes a subsegment: service, operation, region, status, retries, request id. */
export function captureAwsClient<T>(client: T): T {
  return tracer.captureAWSv3Client(client);
}

const openSubsegment: OpenSubsegment = (name, work) =>
  tracer.isTracingEnabled()
    ? (tracer.provider.captureAsyncFunc(name, work) as ReturnType<typeof work>)
    : work(undefined);

export function traceTwilioClient(client: TwilioRestClient, account: string): TwilioRestClient {
  return tracedTwilioClient(client, openSubsegment, account);
}
