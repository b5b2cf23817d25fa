import { describe, expect, it } from "vitest";
import {
  responseSchemaName,
  twilioMessagingSpec,
  twilioSpec,
  validateCreateMessageParams,
  validateTwilioResponse,
} from "../../support/twilio-spec.ts";

const MESSAGES = "/2010-04-01/Accounts/{AccountSid}/Messages.json";
const ACCOUNT = "/2010-04-01/Accounts/{Sid}.json";
const NUMBERS = "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json";
const SERVICE = "/v1/Services/{Sid}";

/** The examples Twilio publishes for one response, by example name. */
function examples(path: string, method: "get" | "post", status: string): Record<string, unknown> {
  const operation = twilioSpec().paths[path]?.[method] as {
    responses: Record<string, { content: Record<string, { examples: Record<string, { value: unknown }> }> }>;
  };
  const found = operation.responses[status]?.content["application/json"]?.examples ?? {};
  return Object.fromEntries(Object.entries(found).map(([name, example]) => [name, example.value]));
}

const validMessage = () => {
  const created = examples(MESSAGES, "post", "201").create;
  return structuredClone(created) as Record<string, unknown>;
};

describe("responseSchemaName", () => {
  it("finds component names for $ref responses and titles for inline ones", () => {
    expect(responseSchemaName(MESSAGES, "post", "201")).toBe("api.v2010.account.message");
    expect(responseSchemaName(MESSAGES, "get", "200")).toBe("ListMessageResponse");
    expect(responseSchemaName(ACCOUNT, "get", "200")).toBe("api.v2010.account");
    expect(responseSchemaName(NUMBERS, "get", "200")).toBe("ListIncomingPhoneNumberResponse");
  });

  it("fails loudly for an operation the spec does not have", () => {
    expect(() => responseSchemaName("/nope.json", "get", "200")).toThrow(/no named JSON schema/);
  });
});

describe("validateTwilioResponse", () => {
  it.each([
    [MESSAGES, "post", "201"],
    [MESSAGES, "get", "200"],
    [ACCOUNT, "get", "200"],
  ] as const)("accepts Twilio's own examples for %s %s %s", (path, method, status) => {
    const name = responseSchemaName(path, method, status);
    const all = Object.entries(examples(path, method, status));
    expect(all.length).toBeGreaterThan(0);
    for (const [exampleName, body] of all) {
      expect({ exampleName, errors: validateTwilioResponse(name, body) }).toEqual({ exampleName, errors: [] });
    }
  });

  it('flags exactly the known flaw in Twilio\'s IncomingPhoneNumbers example ("" where an AP sid belongs)', () => {
    const name = responseSchemaName(NUMBERS, "get", "200");
    const { readFull } = examples(NUMBERS, "get", "200");
    expect(validateTwilioResponse(name, readFull)).toEqual([
      "/incoming_phone_numbers/0/sms_application_sid must NOT have fewer than 34 characters",
      '/incoming_phone_numbers/0/sms_application_sid must match pattern "^AP[0-9a-fA-F]{32}$"',
      "/incoming_phone_numbers/0/voice_application_sid must NOT have fewer than 34 characters",
      '/incoming_phone_numbers/0/voice_application_sid must match pattern "^AP[0-9a-fA-F]{32}$"',
    ]);
  });

  it("reports wrong values with their location", () => {
    const message = { ...validMessage(), sid: "XX123", status: "teleported", date_created: "2024-01-01" };
    const errors = validateTwilioResponse("api.v2010.account.message", message);
    expect(errors).toContain('/sid must match pattern "^(SM|MM)[0-9a-fA-F]{32}$"');
    expect(errors).toContain("/status must be equal to one of the allowed values");
    expect(errors).toContain('/date_created must match format "date-time-rfc-2822"');
  });

  it("reports wrong values inside list items (refs resolve)", () => {
    const list = { ...(examples(MESSAGES, "get", "200").readFullPage1 as Record<string, unknown>) };
    list.messages = [{ ...validMessage(), num_segments: 1 }];
    expect(validateTwilioResponse("ListMessageResponse", list)).toEqual(["/messages/0/num_segments must be string"]);
  });

  it("accepts null where the spec says nullable", () => {
    expect(validateTwilioResponse("api.v2010.account.message", { ...validMessage(), from: null, price: null })).toEqual(
      [],
    );
  });

  it("in complete mode, requires every declared property and rejects undeclared ones", () => {
    const { uri: _dropped, ...withoutUri } = validMessage();
    expect(validateTwilioResponse("api.v2010.account.message", withoutUri)).toEqual([]);
    expect(validateTwilioResponse("api.v2010.account.message", withoutUri, { complete: true })).toEqual([
      "(root) must have required property 'uri'",
    ]);
    expect(
      validateTwilioResponse("api.v2010.account.message", { ...validMessage(), extra: 1 }, { complete: true }),
    ).toEqual(["(root) must NOT have additional properties (extra)"]);
  });

  it("throws for a schema name the spec does not have", () => {
    expect(() => validateTwilioResponse("api.v2010.account.nothing", {})).toThrow(/unknown Twilio schema/);
  });
});

describe("validateCreateMessageParams", () => {
  const valid = {
    To: "+14155552345",
    From: "+14155550199",
    Body: "Hello! 👍",
    MediaUrl: ["https://example.com/a.png", "https://example.com/b.png"],
    StatusCallback: "https://example.com/status",
  };

  it("accepts what a client sends, including a single MediaUrl as a plain string", () => {
    expect(validateCreateMessageParams(valid)).toEqual([]);
    expect(validateCreateMessageParams({ ...valid, MediaUrl: "https://example.com/a.png" })).toEqual([]);
    expect(validateCreateMessageParams({ To: "+14155552345", MessagingServiceSid: `MG${"a".repeat(32)}` })).toEqual([]);
  });

  it("coerces form strings to the declared types", () => {
    expect(validateCreateMessageParams({ ...valid, ValidityPeriod: "600", SmartEncoded: "true" })).toEqual([]);
    expect(validateCreateMessageParams({ ...valid, ValidityPeriod: "soon" })).toEqual([
      "/ValidityPeriod must be integer",
    ]);
  });

  it("rejects unknown parameter names, a missing To and malformed values", () => {
    expect(validateCreateMessageParams({ ...valid, MediaUrls: "https://example.com/a.png" })).toEqual([
      "(root) must NOT have additional properties (MediaUrls)",
    ]);
    const { To: _to, ...withoutTo } = valid;
    expect(validateCreateMessageParams(withoutTo)).toEqual(["(root) must have required property 'To'"]);
    expect(validateCreateMessageParams({ ...valid, To: "not-a-number" })).toEqual([
      '/To must match format "phone-number"',
    ]);
    expect(validateCreateMessageParams({ ...valid, MessagingServiceSid: "MG123" })).toContain(
      '/MessagingServiceSid must match pattern "^MG[0-9a-fA-F]{32}$"',
    );
  });

  it("does not modify the caller's params while coercing", () => {
    const params = { ...valid, MediaUrl: "https://example.com/a.png" };
    validateCreateMessageParams(params);
    expect(params.MediaUrl).toBe("https://example.com/a.png");
  });
});

describe("the Messaging v1 spec", () => {
  const serviceExample = () => {
    const operation = twilioMessagingSpec().paths[SERVICE]?.get as {
      responses: Record<string, { content: Record<string, { examples: Record<string, { value: unknown }> }> }>;
    };
    const value = operation.responses["200"]?.content["application/json"]?.examples.fetch?.value;
    return structuredClone(value) as Record<string, unknown>;
  };

  it("names the Service fetch response and accepts Twilio's own example, even in complete mode", () => {
    const name = responseSchemaName(SERVICE, "get", "200", "messaging");
    expect(name).toBe("messaging.v1.service");
    expect(validateTwilioResponse(name, serviceExample(), { spec: "messaging" })).toEqual([]);
    expect(validateTwilioResponse(name, serviceExample(), { spec: "messaging", complete: true })).toEqual([]);
  });

  it("reports wrong Service values, and keeps the two specs apart", () => {
    const bad = { ...serviceExample(), sid: "MG1", inbound_method: "PUT", use_inbound_webhook_on_number: "yes" };
    const errors = validateTwilioResponse("messaging.v1.service", bad, { spec: "messaging" });
    expect(errors).toContain('/sid must match pattern "^MG[0-9a-fA-F]{32}$"');
    expect(errors).toContain("/inbound_method must be equal to one of the allowed values");
    expect(errors).toContain("/use_inbound_webhook_on_number must be boolean");
    expect(() => validateTwilioResponse("messaging.v1.service", serviceExample())).toThrow(/unknown Twilio schema/);
    expect(() => validateTwilioResponse("api.v2010.account", {}, { spec: "messaging" })).toThrow(
      /unknown Twilio schema/,
    );
  });
});
