/*
 * What the channel counts for its operator: CloudWatch metrics in namespace SmsChannel, every one with the dimension
 * `account`, some also broken down by one more (outcome, status, code). Never a phone number or a message body:
 * dimension values come from small fixed sets (outcomes, statuses, Twilio error codes).
 */

export const METRICS_NAMESPACE = "SmsChannel";

export const METRIC = {
  /** Inbound messages, by outcome: turn, pairing-requested, dropped:<reason>, opted-out, help, refused:<why>… */
  inbound: "InboundMessages",
  /** Delivery status callbacks, by status. */
  deliveryStatuses: "DeliveryStatuses",
  /** Turns the built-in agent handled, by outcome: answered or failed. */
  turns: "Turns",
  /** How long the model took to answer (milliseconds). */
  modelLatency: "ModelLatency",
  /** Model calls that failed (a retry later or a failed turn), by reason: timeout, refused, unavailable… */
  modelFailures: "ModelFailures",
  /** Replies fully sent. */
  repliesSent: "RepliesSent",
  /** Replies that ended without being sent, by reason. */
  repliesFailed: "RepliesFailed",
  /** SMS/MMS messages created at Twilio (one reply may be several texts). */
  textsSent: "TextsSent",
  /** Billed segments of the texts sent. */
  segmentsBilled: "SegmentsBilled",
  /** Sends that did not create a message (a Twilio error, a timeout, no connection), by reason. */
  sendFailures: "SendFailures",
  /** Twilio errors (REST answers and delivery callbacks), by code. */
  twilioErrors: "TwilioErrors",
  /** Twilio refused our credentials and the auth-token secret does not hold a Twilio token (its placeholder). */
  authTokenNotSet: "AuthTokenNotSet",
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** The one extra dimension a metric may be broken down by. */
export type Breakdown = { outcome: string } | { status: string } | { code: string } | { reason: string };

export interface MetricEvent {
  name: MetricName;
  account: string;
  /** Default 1. */
  value?: number;
  unit?: "Count" | "Milliseconds";
  breakdown?: Breakdown;
}

/** The domain's port: each event is written at once (nothing buffered, nothing lost in a crash before a flush). */
export interface Metrics {
  record(event: MetricEvent): void;
}

export const noMetrics: Metrics = { record() {} };
