/**
 * The Twilio stand-in's senders: IncomingPhoneNumbers (list, fetch, update SmsUrl / SmsMethod / SmsApplicationSid)
 * on the 2010-04-01 API, and Messaging v1 Services (fetch, update the inbound request URL and method, list their
 * numbers a page at a time). Each resource is visible only to its own account's credentials; another account's
 * looks exactly like a missing one.
 */
import {
  authenticate,
  clampInt,
  errorReply,
  methodNotAllowed,
  notFound,
  page,
  type Reply,
  unauthenticated,
} from "./twilio-stand-in-http.ts";
import {
  incomingNumberResource,
  incomingNumberSid,
  messagingServiceResource,
  type NumberState,
  type ServiceState,
  servicePhoneNumberResource,
} from "./twilio-stand-in-sender-resources.ts";

export interface StandInPhoneNumber {
  accountSid: string;
  phoneNumber: string;
  /** Default null (not set). */
  smsUrl?: string | null;
  /** Default POST, as on Twilio. */
  smsMethod?: "GET" | "POST";
  /** An SMS TwiML App (AP...); while set, Twilio ignores smsUrl. Default null. */
  smsApplicationSid?: string | null;
}

export interface StandInMessagingService {
  accountSid: string;
  sid: string;
  friendlyName?: string;
  /** Default null (the service drops incoming messages). */
  inboundRequestUrl?: string | null;
  /** Default POST, as on Twilio. */
  inboundMethod?: "GET" | "POST";
  /** Default false. */
  useInboundWebhookOnNumber?: boolean;
  /** The service's sender pool (E.164); each should also be one of the account's phone numbers. */
  phoneNumbers?: string[];
}

export interface SenderRegistry {
  /** The account's numbers, for the 21606 check on a create. */
  ownedNumbers(accountSid: string): string[];
  /** An IncomingPhoneNumbers path (after `/Accounts/{sid}`), or null when the path is not one. */
  routeNumbers(
    method: string,
    accountSid: string,
    resource: string,
    path: string,
    params: URLSearchParams,
  ): Reply | null;
  /** A `/v1/Services/...` path on the Messaging host. */
  routeServices(method: string, path: string, params: URLSearchParams, auth: string | undefined): Reply;
}

const NUMBERS_LIST = "/IncomingPhoneNumbers.json";
const NUMBER_INSTANCE = /^\/IncomingPhoneNumbers\/(PN[0-9a-fA-F]{32})\.json$/;
const SERVICE_PATH = /^\/v1\/Services\/([^/]+)(\/PhoneNumbers)?$/;
const WEBHOOK_METHODS = ["GET", "POST"];
const MAX_MESSAGING_PAGE_SIZE = 1000;

export function createSenderRegistry(options: {
  /** accountSid -> the auth token it accepts. */
  accounts: Record<string, string>;
  phoneNumbers: StandInPhoneNumber[];
  messagingServices: StandInMessagingService[];
  now: () => Date;
  selfUrl: () => string;
}): SenderRegistry {
  const numbers: NumberState[] = options.phoneNumbers.map((n) => ({
    accountSid: n.accountSid,
    phoneNumber: n.phoneNumber,
    smsUrl: n.smsUrl ?? null,
    smsMethod: n.smsMethod ?? "POST",
    smsApplicationSid: n.smsApplicationSid ?? null,
  }));
  const services: ServiceState[] = options.messagingServices.map((s) => ({
    ...s,
    inboundRequestUrl: s.inboundRequestUrl ?? null,
    inboundMethod: s.inboundMethod ?? "POST",
    useInboundWebhookOnNumber: s.useInboundWebhookOnNumber ?? false,
    phoneNumbers: s.phoneNumbers ?? [],
  }));
  const accountNumbers = (accountSid: string) => numbers.filter((n) => n.accountSid === accountSid);

  function listNumbers(accountSid: string, path: string, params: URLSearchParams): Reply {
    const wanted = params.get("PhoneNumber");
    // Twilio's filter matches partial numbers too.
    const matching = accountNumbers(accountSid).filter(
      (n) => wanted === null || n.phoneNumber.includes(wanted.replace(/\s/g, "")),
    );
    const items = matching.map((n) => incomingNumberResource(n, options.now()));
    return { status: 200, body: page("incoming_phone_numbers", path, params, items) };
  }

  function updateNumber(number: NumberState, params: URLSearchParams): Reply {
    const invalid = webhookProblem(params, "SmsUrl", "SmsMethod");
    if (invalid) return invalid;
    const url = params.get("SmsUrl");
    const method = params.get("SmsMethod");
    // Twilio treats an empty SmsUrl as "clear it".
    if (url !== null) number.smsUrl = url === "" ? null : url;
    if (method !== null) number.smsMethod = method.toUpperCase();
    const application = params.get("SmsApplicationSid");
    // Empty removes the app, so that SmsUrl is called again.
    if (application !== null) number.smsApplicationSid = application === "" ? null : application;
    return { status: 200, body: incomingNumberResource(number, options.now()) };
  }

  function updateService(service: ServiceState, params: URLSearchParams): Reply {
    const invalid = webhookProblem(params, "InboundRequestUrl", "InboundMethod");
    if (invalid) return invalid;
    const url = params.get("InboundRequestUrl");
    const method = params.get("InboundMethod");
    if (url !== null) service.inboundRequestUrl = url === "" ? null : url;
    if (method !== null) service.inboundMethod = method.toUpperCase();
    return { status: 200, body: messagingServiceResource(service, options.selfUrl(), options.now()) };
  }

  function listServiceNumbers(service: ServiceState, path: string, params: URLSearchParams): Reply {
    const pageSize = clampInt(params.get("PageSize"), 50, 1, MAX_MESSAGING_PAGE_SIZE);
    const pageNumber = clampInt(params.get("Page"), 0, 0, Number.MAX_SAFE_INTEGER);
    const all = service.phoneNumbers.map((n) =>
      servicePhoneNumberResource(service, n, options.selfUrl(), options.now()),
    );
    const slice = all.slice(pageNumber * pageSize, (pageNumber + 1) * pageSize);
    const urlFor = (n: number) => `${options.selfUrl()}${path}?PageSize=${pageSize}&Page=${n}`;
    return {
      status: 200,
      body: {
        phone_numbers: slice,
        meta: {
          page: pageNumber,
          page_size: pageSize,
          first_page_url: urlFor(0),
          previous_page_url: pageNumber > 0 ? urlFor(pageNumber - 1) : null,
          next_page_url: (pageNumber + 1) * pageSize < all.length ? urlFor(pageNumber + 1) : null,
          key: "phone_numbers",
          url: urlFor(pageNumber),
        },
      },
    };
  }

  return {
    ownedNumbers: (accountSid) => accountNumbers(accountSid).map((n) => n.phoneNumber),

    routeNumbers(method, accountSid, resource, path, params) {
      if (resource === NUMBERS_LIST)
        return method === "GET" ? listNumbers(accountSid, path, params) : methodNotAllowed();
      const sid = NUMBER_INSTANCE.exec(resource)?.[1];
      if (!sid) return null;
      if (method !== "GET" && method !== "POST") return methodNotAllowed();
      const number = accountNumbers(accountSid).find((n) => incomingNumberSid(accountSid, n.phoneNumber) === sid);
      if (!number) return notFound(path);
      return method === "GET"
        ? { status: 200, body: incomingNumberResource(number, options.now()) }
        : updateNumber(number, params);
    },

    routeServices(method, path, params, auth) {
      const match = SERVICE_PATH.exec(path);
      const [, serviceSid, phoneNumbers] = match ?? [];
      if (!serviceSid) return notFound(path);
      const allowed = phoneNumbers ? ["GET"] : ["GET", "POST"];
      if (!allowed.includes(method)) return methodNotAllowed();
      const credentialsFor = authenticate(auth, options.accounts);
      if (!credentialsFor) return unauthenticated();
      const service = services.find((s) => s.sid === serviceSid && s.accountSid === credentialsFor);
      if (!service) return notFound(path);
      if (phoneNumbers) return listServiceNumbers(service, path, params);
      if (method === "POST") return updateService(service, params);
      return { status: 200, body: messagingServiceResource(service, options.selfUrl(), options.now()) };
    },
  };
}

/** Twilio's checks on a webhook update: an absolute http(s) URL (or empty, to clear it) and GET or POST. */
function webhookProblem(params: URLSearchParams, urlParam: string, methodParam: string): Reply | null {
  const url = params.get(urlParam);
  if (url !== null && url !== "" && !/^https?:$/.test(URL.canParse(url) ? new URL(url).protocol : "")) {
    return errorReply({ status: 400, code: 21502, message: `${urlParam} is not a valid URL: ${url}` });
  }
  const method = params.get(methodParam);
  if (method !== null && !WEBHOOK_METHODS.includes(method.toUpperCase())) {
    return errorReply({ status: 400, code: 21503, message: `${methodParam} must be GET or POST, not ${method}` });
  }
  return null;
}
