/**
 * The JSON the Twilio stand-in answers for senders: an IncomingPhoneNumber (api.v2010.account.incoming_phone_number),
 * a Messaging v1 Service and a Service's PhoneNumber, with Twilio's defaults for what the stand-in does not model.
 */
import { createHash } from "node:crypto";
import { API_VERSION, rfc2822 } from "./twilio-stand-in-http.ts";

/** A number as the stand-in holds it: its webhook can be changed through the API. */
export interface NumberState {
  accountSid: string;
  phoneNumber: string;
  smsUrl: string | null;
  smsMethod: string;
  smsApplicationSid: string | null;
}

/** A Messaging Service as the stand-in holds it. */
export interface ServiceState {
  accountSid: string;
  sid: string;
  friendlyName?: string;
  inboundRequestUrl: string | null;
  inboundMethod: string;
  useInboundWebhookOnNumber: boolean;
  phoneNumbers: string[];
}

/** Stable across calls and runs, so a probe and an update see the same sid. */
export function incomingNumberSid(accountSid: string, phoneNumber: string): string {
  return `PN${createHash("sha256").update(`${accountSid}:${phoneNumber}`).digest("hex").slice(0, 32)}`;
}

/** A full Messaging v1 Service resource (messaging.v1.service), with Twilio's defaults for what we do not model. */
export function messagingServiceResource(service: ServiceState, baseUrl: string, at: Date): Record<string, unknown> {
  const url = `${baseUrl}/v1/Services/${service.sid}`;
  const created = isoSeconds(at);
  const link = (sub: string) => `${url}/${sub}`;
  return {
    account_sid: service.accountSid,
    sid: service.sid,
    date_created: created,
    date_updated: created,
    friendly_name: service.friendlyName ?? "Local stand-in service",
    inbound_request_url: service.inboundRequestUrl,
    inbound_method: service.inboundMethod,
    fallback_url: null,
    fallback_method: "POST",
    status_callback: null,
    sticky_sender: true,
    mms_converter: true,
    smart_encoding: true,
    scan_message_content: "inherit",
    fallback_to_long_code: false,
    area_code_geomatch: true,
    validity_period: 36_000,
    synchronous_validation: false,
    usecase: "undeclared",
    us_app_to_person_registered: false,
    use_inbound_webhook_on_number: service.useInboundWebhookOnNumber,
    links: {
      phone_numbers: link("PhoneNumbers"),
      short_codes: link("ShortCodes"),
      alpha_senders: link("AlphaSenders"),
      messages: link("Messages"),
      us_app_to_person: link("Compliance/Usa2p"),
      us_app_to_person_usecases: link("Compliance/Usa2p/Usecases"),
      channel_senders: link("ChannelSenders"),
      destination_alpha_senders: link("DestinationAlphaSenders"),
    },
    url,
  };
}

/** A number in a Messaging Service (messaging.v1.service.phone_number); its sid is the IncomingPhoneNumber's. */
export function servicePhoneNumberResource(service: ServiceState, phoneNumber: string, baseUrl: string, at: Date) {
  const sid = incomingNumberSid(service.accountSid, phoneNumber);
  return {
    account_sid: service.accountSid,
    service_sid: service.sid,
    sid,
    date_created: isoSeconds(at),
    date_updated: isoSeconds(at),
    phone_number: phoneNumber,
    country_code: "US",
    capabilities: ["SMS", "MMS", "Voice"],
    url: `${baseUrl}/v1/Services/${service.sid}/PhoneNumbers/${sid}`,
  };
}

export function incomingNumberResource(number: NumberState, at: Date): Record<string, unknown> {
  const { accountSid, phoneNumber } = number;
  const sid = incomingNumberSid(accountSid, phoneNumber);
  return {
    account_sid: accountSid,
    address_requirements: "none",
    address_sid: null,
    api_version: API_VERSION,
    beta: false,
    capabilities: { voice: true, sms: true, mms: true, fax: false },
    date_created: rfc2822(at),
    date_updated: rfc2822(at),
    emergency_status: "Inactive",
    emergency_address_sid: null,
    emergency_address_status: "unregistered",
    friendly_name: phoneNumber,
    identity_sid: null,
    origin: "twilio",
    phone_number: phoneNumber,
    sid,
    sms_application_sid: number.smsApplicationSid,
    sms_fallback_method: "POST",
    sms_fallback_url: null,
    sms_method: number.smsMethod,
    sms_url: number.smsUrl,
    status_callback: null,
    status_callback_method: "POST",
    trunk_sid: null,
    uri: `/${API_VERSION}/Accounts/${accountSid}/IncomingPhoneNumbers/${sid}.json`,
    voice_application_sid: null,
    voice_caller_id_lookup: false,
    voice_fallback_method: "POST",
    voice_fallback_url: null,
    voice_method: "POST",
    voice_url: null,
    bundle_sid: null,
    voice_receive_mode: "voice",
    status: "in-use",
    type: "local",
  };
}

/** Messaging v1 dates: ISO 8601 to the second. */
function isoSeconds(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}
