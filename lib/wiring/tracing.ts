import type { MiddlewareObj } from "@middy/core";
import type { TwilioRestClient } from "../twilio/rest-client.ts";

/**
 * X-Ray tracing, switched by `monitoring.tracing` in the config. The bundler replaces process.env.SMS_TRACING with
 * "1" or "0" (infra/bundle-options.ts), so with tracing off this import is dead code and no tracer code is in the
 * bundle at all. Unbundled (the local gateway, tests) the variable is read at run time, and nothing sets it.
 */
const xRay = process.env.SMS_TRACING === "1" ? await import("./x-ray.ts") : undefined;

/** For `middy().use(...)`: the handler's subsegment when tracing is on, nothing when off. */
export function tracingMiddleware(): MiddlewareObj[] {
  return xRay ? [xRay.handlerMiddleware()] : [];
}

/** An AWS SDK v3 client whose calls are recorded as subsegments when tracing is on; the same client when off. */
export function traceAwsClient<T>(client: T): T {
  return xRay ? xRay.captureAwsClient(client) : client;
}

/** A Twilio client whose calls are `Twilio ## <operation>` subsegments when tracing is on (lib/wiring/traced-twilio.ts). */
export function traceTwilioClient(client: TwilioRestClient, account: string): TwilioRestClient {
  return xRay ? xRay.traceTwilioClient(client, account) : client;
}
