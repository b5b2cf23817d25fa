import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTwilioStandIn, type TwilioStandIn } from "../../infra/local/twilio-stand-in.ts";
import { TwilioApiError, TwilioTimeoutError } from "../../lib/twilio/api-errors.ts";
import { createTwilioRestClient, type TwilioRestClient } from "../../lib/twilio/rest-client.ts";
import { type OpenSubsegment, type TraceSubsegment, tracedTwilioClient } from "../../lib/wiring/traced-twilio.ts";

// The traced Twilio client around the real REST client and the Twilio stand-in; the tracer is a recorder standing
// in for X-Ray's subsegments (test/integration/traced-outbound.test.ts runs the real one).

const ACCOUNT_SID = `AC${"3".repeat(32)}`;
const TOKEN = "traced-twilio-token";
const FROM = "+15550001111";
const TO = "+15557654321";
const BODY = "a private message body";

/** What one subsegment received, in order. */
interface Recorded {
  name: string;
  annotations: Record<string, string | number | boolean>;
  errors: Array<{ name: string; message: string; remote: boolean | undefined }>;
  flags: string[];
  closed: number;
}

function recorder(): { open: OpenSubsegment; opened: Recorded[] } {
  const opened: Recorded[] = [];
  const open: OpenSubsegment = (name, work) => {
    const recorded: Recorded = { name, annotations: {}, errors: [], flags: [], closed: 0 };
    opened.push(recorded);
    const subsegment: TraceSubsegment = {
      addAnnotation: (key, value) => {
        recorded.annotations[key] = value;
      },
      addError: (error, remote) => {
        recorded.errors.push({ name: error.name, message: error.message, remote });
        recorded.flags.push("fault");
      },
      addErrorFlag: () => recorded.flags.push("error"),
      addThrottleFlag: () => recorded.flags.push("throttle"),
      close: () => {
        recorded.closed++;
      },
    };
    return work(subsegment);
  };
  return { open, opened };
}

describe("tracedTwilioClient", () => {
  let standIn: TwilioStandIn;
  let traces: ReturnType<typeof recorder>;
  let client: TwilioRestClient;

  beforeAll(async () => {
    standIn = await startTwilioStandIn({ accounts: { [ACCOUNT_SID]: TOKEN } });
  });
  afterAll(() => standIn.close());
  beforeEach(() => {
    standIn.clearFaults();
    traces = recorder();
    client = tracedTwilioClient(twilio(), traces.open, "support");
  });

  function twilio(authToken: () => Promise<string> = async () => TOKEN): TwilioRestClient {
    return createTwilioRestClient({ accountSid: ACCOUNT_SID, authToken, baseUrl: standIn.url, timeoutMs: 300 });
  }

  /** Nothing the subsegment was given may carry a number (not even its masked tail, ***4321) or the body. */
  function expectNothingPersonal(): void {
    const recorded = JSON.stringify(traces.opened);
    expect(recorded).not.toMatch(/4321|432x|1111/);
    expect(recorded).not.toContain(BODY);
  }

  it("opens one subsegment per call, named after the operation, annotated, closed once, and returns the answer", async () => {
    const message = await client.sendMessage({ to: TO, from: FROM, body: BODY });
    expect(message.sid).toMatch(/^SM/);
    expect(standIn.messages.map((m) => m.body)).toContain(BODY);
    expect(traces.opened).toEqual([
      {
        name: "Twilio ## sendMessage",
        annotations: { account: "support", operation: "sendMessage" },
        errors: [],
        flags: [],
        closed: 1,
      },
    ]);

    await client.listMessages({ to: TO });
    expect(traces.opened.map((t) => [t.name, t.closed])).toEqual([
      ["Twilio ## sendMessage", 1],
      ["Twilio ## listMessages", 1],
    ]);
    expectNothingPersonal();
  });

  it("a refused send (4xx) is an error with its status and Twilio code, not Twilio's text quoting the number", async () => {
    const error = await client.sendMessage({ to: "+1555765432x", from: FROM, body: BODY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TwilioApiError);
    expect((error as TwilioApiError).code).toBe(21211);
    expect(traces.opened).toEqual([
      {
        name: "Twilio ## sendMessage",
        annotations: { account: "support", operation: "sendMessage", http_status: 400, twilio_code: 21211 },
        errors: [],
        flags: ["error"],
        closed: 1,
      },
    ]);
    expectNothingPersonal();
  });

  it("429 is also a throttle", async () => {
    standIn.injectFault({ kind: "http", status: 429, code: 20429 });
    await expect(client.sendMessage({ to: TO, from: FROM, body: BODY })).rejects.toThrow(TwilioApiError);
    expect(traces.opened[0]?.flags).toEqual(["throttle", "error"]);
    expect(traces.opened[0]?.annotations).toMatchObject({ http_status: 429, twilio_code: 20429 });
  });

  it("a 5xx is a remote fault with a summary exception", async () => {
    standIn.injectFault({ kind: "http", status: 503, message: `Service unavailable for ${TO}: ${BODY}` });
    await expect(client.sendMessage({ to: TO, from: FROM, body: BODY })).rejects.toThrow(TwilioApiError);
    expect(traces.opened[0]?.errors).toEqual([
      { name: "TwilioApiError", message: "Twilio sendMessage failed with HTTP 503 code 20503", remote: true },
    ]);
    expect(traces.opened[0]?.closed).toBe(1);
    expectNothingPersonal();
  });

  it("a timeout is a remote fault saying the outcome is unknown", async () => {
    standIn.injectFault({ kind: "delay", ms: 1000 });
    await expect(client.sendMessage({ to: TO, from: FROM, body: BODY })).rejects.toThrow(TwilioTimeoutError);
    expect(traces.opened[0]).toMatchObject({
      annotations: { outcome_unknown: "timeout" },
      errors: [{ name: "TwilioTimeoutError", message: "Twilio sendMessage outcome unknown (timeout)", remote: true }],
      closed: 1,
    });
  });

  it("any other error is recorded by its name only, and rethrown as it was", async () => {
    const thrown = new RangeError(`no token for ${TO}`);
    const failing = tracedTwilioClient(
      twilio(() => Promise.reject(thrown)),
      traces.open,
      "support",
    );
    await expect(failing.fetchAccount()).rejects.toBe(thrown);
    expect(traces.opened).toEqual([
      {
        name: "Twilio ## fetchAccount",
        annotations: { account: "support", operation: "fetchAccount" },
        errors: [{ name: "RangeError", message: "Twilio fetchAccount threw RangeError", remote: undefined }],
        flags: ["fault"],
        closed: 1,
      },
    ]);
    expectNothingPersonal();
  });

  it("works without a subsegment (nothing to trace into)", async () => {
    const untraced = tracedTwilioClient(twilio(), (_name, work) => work(undefined), "support");
    const account = await untraced.fetchAccount();
    expect(account.sid).toBe(ACCOUNT_SID);
  });
});
