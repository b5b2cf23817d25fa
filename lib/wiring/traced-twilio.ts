import { TwilioApiError, TwilioTimeoutError } from "../twilio/api-errors.ts";
import type { TwilioRestClient } from "../twilio/rest-client.ts";

/** What the decorator writes to an X-Ray subsegment (aws-xray-sdk-core's Subsegment has all of it). */
export interface TraceSubsegment {
  addAnnotation(key: string, value: string | number | boolean): void;
  addError(error: Error, remote?: boolean): void;
  addErrorFlag(): void;
  addThrottleFlag(): void;
  close(): void;
}

/**
 * Runs `work` in a new subsegment of the current segment (Powertools: `tracer.provider.captureAsyncFunc`, which
 * keeps concurrent calls apart); `work` gets no subsegment when there is nothing to trace into.
 */
export type OpenSubsegment = <T>(name: string, work: (subsegment?: TraceSubsegment) => Promise<T>) => Promise<T>;

/**
 * A Twilio client whose every call is one subsegment, `Twilio ## <operation>`, annotated with the channel account
 * and the outcome: HTTP status and Twilio error code, or why the outcome is unknown. Arguments, answers and Twilio's
 * error text (which can quote a number) are never recorded, so no phone number or message body reaches a trace.
 */
export function tracedTwilioClient(
  client: TwilioRestClient,
  openSubsegment: OpenSubsegment,
  account: string,
): TwilioRestClient {
  const traced = <K extends keyof TwilioRestClient>(operation: K): TwilioRestClient[K] => {
    const call = client[operation] as (...args: unknown[]) => Promise<unknown>;
    const wrapped = (...args: unknown[]) =>
      openSubsegment(`Twilio ## ${operation}`, async (subsegment) => {
        subsegment?.addAnnotation("account", account);
        subsegment?.addAnnotation("operation", operation);
        try {
          return await call.apply(client, args);
        } catch (error) {
          if (subsegment) recordFailure(subsegment, operation, error);
          throw error;
        } finally {
          subsegment?.close();
        }
      });
    return wrapped as TwilioRestClient[K];
  };
  return {
    sendMessage: traced("sendMessage"),
    listMessages: traced("listMessages"),
    fetchAccount: traced("fetchAccount"),
    findIncomingNumber: traced("findIncomingNumber"),
    fetchMessagingService: traced("fetchMessagingService"),
    updateIncomingNumberWebhook: traced("updateIncomingNumberWebhook"),
    updateMessagingServiceWebhook: traced("updateMessagingServiceWebhook"),
    listMessagingServiceNumbers: traced("listMessagingServiceNumbers"),
  };
}

/**
 * X-Ray's meaning of the flags: a 4xx is an error (429 also a throttle), anything else (5xx, timeout, a dropped
 * connection, a bug) a fault with an exception. The exception is a summary built from the error's fields only.
 */
function recordFailure(subsegment: TraceSubsegment, operation: string, error: unknown): void {
  if (error instanceof TwilioApiError) {
    subsegment.addAnnotation("http_status", error.httpStatus);
    if (error.code !== null) subsegment.addAnnotation("twilio_code", error.code);
    if (error.httpStatus === 429) subsegment.addThrottleFlag();
    if (error.httpStatus >= 400 && error.httpStatus < 500) {
      subsegment.addErrorFlag();
      return;
    }
    const code = error.code === null ? "" : ` code ${error.code}`;
    subsegment.addError(summary(error, `Twilio ${operation} failed with HTTP ${error.httpStatus}${code}`), true);
    return;
  }
  if (error instanceof TwilioTimeoutError) {
    subsegment.addAnnotation("outcome_unknown", error.reason);
    subsegment.addError(summary(error, `Twilio ${operation} outcome unknown (${error.reason})`), true);
    return;
  }
  const name = error instanceof Error ? error.name : typeof error;
  subsegment.addError(summary({ name }, `Twilio ${operation} threw ${name}`));
}

function summary(of: { name: string }, message: string): Error {
  const error = new Error(message);
  error.name = of.name;
  return error;
}
