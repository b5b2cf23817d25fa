import { describe, expect, it } from "vitest";
import {
  createMessageForm,
  listMessagesQuery,
  parseMessagingService,
  parseTwilioMessage,
} from "../../../lib/twilio/message-params.ts";
import { twilioMessagingSpec } from "../../support/twilio-spec.ts";

describe("createMessageForm", () => {
  it("uses Twilio's parameter names and repeats MediaUrl", () => {
    const form = createMessageForm({
      to: "+14155550100",
      from: "+14155550199",
      body: "Hi & bye = 100%",
      mediaUrls: ["https://example.com/a.png", "https://example.com/b.png"],
      statusCallback: "https://example.com/status",
    });
    expect([...form.keys()]).toEqual(["To", "From", "Body", "MediaUrl", "MediaUrl", "StatusCallback"]);
    expect(form.getAll("MediaUrl")).toEqual(["https://example.com/a.png", "https://example.com/b.png"]);
    expect(new URLSearchParams(form.toString()).get("Body")).toBe("Hi & bye = 100%");
  });

  it("sends MessagingServiceSid instead of From when that is what it has", () => {
    const form = createMessageForm({ to: "+14155550100", messagingServiceSid: `MG${"a".repeat(32)}`, body: "x" });
    expect(form.has("From")).toBe(false);
    expect(form.get("MessagingServiceSid")).toBe(`MG${"a".repeat(32)}`);
  });
});

describe("listMessagesQuery", () => {
  it("maps the filters, with DateSent> in ISO 8601 to the second", () => {
    const query = listMessagesQuery({
      to: "+14155550100",
      from: "+14155550199",
      dateSentAfter: new Date("2024-05-06T07:08:09.999Z"),
      pageSize: 20,
    });
    expect(query.toString()).toBe(
      "To=%2B14155550100&From=%2B14155550199&DateSent%3E=2024-05-06T07%3A08%3A09Z&PageSize=20",
    );
  });

  it("is empty without filters", () => {
    expect(listMessagesQuery({}).toString()).toBe("");
  });
});

describe("parseTwilioMessage", () => {
  it("maps snake_case to camelCase", () => {
    expect(
      parseTwilioMessage({
        sid: `SM${"0".repeat(32)}`,
        status: "queued",
        to: "+14155550100",
        from: null,
        body: "hello",
        num_segments: "1",
        date_created: "Thu, 24 Aug 2023 05:01:45 +0000",
        error_code: 30007,
        direction: "inbound",
        messaging_service_sid: `MG${"1".repeat(32)}`,
      }),
    ).toEqual({
      sid: `SM${"0".repeat(32)}`,
      status: "queued",
      to: "+14155550100",
      from: null,
      body: "hello",
      numSegments: "1",
      dateCreated: "Thu, 24 Aug 2023 05:01:45 +0000",
      errorCode: 30007,
      direction: "inbound",
      messagingServiceSid: `MG${"1".repeat(32)}`,
    });
  });

  it("says 'unknown' for a message without a direction, and null for one without a service", () => {
    const parsed = parseTwilioMessage({ sid: `SM${"0".repeat(32)}`, status: "sent" });
    expect(parsed?.direction).toBe("unknown");
    expect(parsed?.messagingServiceSid).toBeNull();
  });

  it("rejects JSON that is not a message", () => {
    expect(parseTwilioMessage({ code: 20404 })).toBeNull();
    expect(parseTwilioMessage([])).toBeNull();
    expect(parseTwilioMessage(null)).toBeNull();
  });
});

describe("parseMessagingService", () => {
  it("maps Twilio's published Service example", () => {
    const operation = twilioMessagingSpec().paths["/v1/Services/{Sid}"]?.get as {
      responses: Record<string, { content: Record<string, { examples: Record<string, { value: unknown }> }> }>;
    };
    const example = operation.responses["200"]?.content["application/json"]?.examples.fetch?.value;
    expect(parseMessagingService(example)).toEqual({
      sid: "MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      friendlyName: "My Service!",
      inboundRequestUrl: "https://www.example.com/",
      inboundMethod: "POST",
      useInboundWebhookOnNumber: true,
    });
  });

  it("returns null for JSON that is not a service", () => {
    expect(parseMessagingService({ friendly_name: "no sid" })).toBeNull();
    expect(parseMessagingService([])).toBeNull();
    expect(parseMessagingService(null)).toBeNull();
  });
});
