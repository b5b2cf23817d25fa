import { describe, expect, it } from "vitest";
import { toAttributeText, toQueueBody } from "../../../lib/queue/sqs-text.ts";
import { UNICODE_SAMPLES } from "../../support/unicode-samples.ts";

/** What real SQS accepts in a body (the XML 1.0 character range). */
const SQS_BODY = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
/** What fauxqs 1.9 accepts: the same without astral characters. */
const FAUXQS_BODY = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD]*$/;

describe("queue bodies carry any Unicode", () => {
  for (const [kind, text] of Object.entries(UNICODE_SAMPLES)) {
    it(`${kind}: accepted by SQS and fauxqs, and reads back unchanged`, () => {
      const body = toQueueBody({ text, nested: [text] });
      expect(body).toMatch(SQS_BODY);
      expect(body).toMatch(FAUXQS_BODY);
      expect(JSON.parse(body)).toEqual({ text, nested: [text] });
    });
  }

  it("leaves plain text as JSON.stringify writes it", () => {
    expect(toQueueBody({ text: 'héllo "x"' })).toBe(JSON.stringify({ text: 'héllo "x"' }));
  });

  it("escapes an emoji as its surrogate pair", () => {
    expect(toQueueBody("🚗")).toBe('"\\ud83d\\ude97"');
  });
});

describe("attribute text", () => {
  it("keeps what SQS accepts and replaces what it refuses", () => {
    expect(toAttributeText("Twilio 400: bad 🚗 \uFFFF \uD800 ok")).toBe(
      "Twilio 400: bad \uFFFD\uFFFD \uFFFD \uFFFD ok",
    );
    expect(toAttributeText("plain\ttext")).toBe("plain\ttext");
  });
});
