/**
 * Checks of traffic to the Twilio stand-in against Twilio's published specs: every answer (a recording fetch keeps
 * a copy) has the schema of the operation that produced it, or Twilio's error shape; every form the client POSTs
 * matches the operation's request body, with no parameter the spec does not declare.
 */
import type { StandInRequest } from "../../infra/local/twilio-stand-in.ts";
import {
  responseSchemaName,
  type TwilioSpecName,
  validateTwilioQuery,
  validateTwilioRequestParams,
  validateTwilioResponse,
} from "./twilio-spec.ts";

export interface Exchange {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

const MESSAGES = /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\.json$/i;
const MEDIA = /\/Media\/ME[0-9a-f]{32}\.json$/i;
const NUMBERS = /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/IncomingPhoneNumbers\.json$/i;
const NUMBER = /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/IncomingPhoneNumbers\/PN[0-9a-f]{32}\.json$/i;
const SERVICE = /^\/v1\/Services\/MG[0-9a-f]{32}$/i;
const SERVICE_NUMBERS = /^\/v1\/Services\/MG[0-9a-f]{32}\/PhoneNumbers$/i;
const ACCOUNT = /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\.json$/i;

/** A fetch that keeps a copy of every JSON answer in `into`, so each can be checked against the spec. */
export function recordingFetch(into: Exchange[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const text = await response.clone().text();
    into.push({
      method: init?.method ?? "GET",
      path: new URL(String(input)).pathname,
      status: response.status,
      body: JSON.parse(text),
    });
    return response;
  };
}

/** What is wrong with one answer (empty when it has the spec's shape, every declared property present). */
export function exchangeProblems(exchange: Exchange): string[] {
  if (exchange.status >= 400) return errorShapeProblems(exchange);
  const operation = operationFor(exchange.path);
  if (!operation) return [`no operation known for ${exchange.method} ${exchange.path}`];
  const [, spec, template] = operation;
  // The schema of the status Twilio documents for the operation: an answer with another status has none.
  const method = exchange.method === "POST" ? "post" : "get";
  const name = responseSchemaName(template, method, String(exchange.status), spec);
  return validateTwilioResponse(name, exchange.body, { spec, complete: true });
}

/** The operations the channel calls, by the path pattern that finds them: spec and path template. */
const OPERATIONS: ReadonlyArray<[RegExp, TwilioSpecName, string]> = [
  [MESSAGES, "api", "/2010-04-01/Accounts/{AccountSid}/Messages.json"],
  [MEDIA, "api", "/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Media/{Sid}.json"],
  [NUMBERS, "api", "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json"],
  [NUMBER, "api", "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json"],
  [ACCOUNT, "api", "/2010-04-01/Accounts/{Sid}.json"],
  [SERVICE, "messaging", "/v1/Services/{Sid}"],
  [SERVICE_NUMBERS, "messaging", "/v1/Services/{ServiceSid}/PhoneNumbers"],
];

function operationFor(path: string): [RegExp, TwilioSpecName, string] | undefined {
  return OPERATIONS.find(([pattern]) => pattern.test(path));
}

/**
 * What is wrong with one request the client made (empty when it matches the spec): a POSTed form against its
 * operation's request body, a GET's query against its declared parameters. Paths the channel never calls (a test
 * asking for an unknown resource on purpose) have no operation to check against.
 */
export function requestProblems(request: StandInRequest): string[] {
  if (request.method === "GET") {
    const operation = operationFor(request.path);
    return operation ? validateTwilioQuery(operation[2], request.params, operation[1]) : [];
  }
  if (request.method !== "POST") return [];
  if (MESSAGES.test(request.path)) return validateTwilioRequestParams("CreateMessageRequest", request.params);
  if (NUMBER.test(request.path)) {
    // Twilio's own deviation: an empty SmsApplicationSid removes the number's SMS TwiML App, while the spec's AP...
    // pattern describes only a set one. The empty value is allowed here; any other is checked as published.
    const { SmsApplicationSid: application, ...rest } = request.params;
    const removesApp = application?.length === 1 && application[0] === "";
    return validateTwilioRequestParams("UpdateIncomingPhoneNumberRequest", removesApp ? rest : request.params);
  }
  if (SERVICE.test(request.path))
    return validateTwilioRequestParams("UpdateServiceRequest", request.params, "messaging");
  return [`no request schema known for POST ${request.path}`];
}

/** Twilio's error JSON: exactly code, message, more_info and status, with status equal to the HTTP status. */
function errorShapeProblems(exchange: Exchange): string[] {
  const body = exchange.body as Record<string, unknown>;
  const problems: string[] = [];
  if (Object.keys(body).sort().join(",") !== "code,message,more_info,status") problems.push("keys");
  if (!Number.isInteger(body.code)) problems.push("code");
  if (typeof body.message !== "string" || body.message === "") problems.push("message");
  if (body.more_info !== `https://www.twilio.com/docs/errors/${String(body.code)}`) problems.push("more_info");
  if (body.status !== exchange.status) problems.push("status");
  return problems;
}
