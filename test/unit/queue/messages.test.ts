import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { jsonSchemas } from "../../../lib/queue/json-schemas.ts";
import { parseQueueMessage, replySchema, turnSchema } from "../../../lib/queue/messages.ts";

const TURN = {
  version: 1,
  turnId: `default:SM${"a".repeat(32)}`,
  account: "default",
  channel: "sms",
  messageSid: `SM${"a".repeat(32)}`,
  from: "+15557654321",
  to: "+15551234567",
  text: "hello",
  media: [],
  receivedAt: "2026-11-23T12:00:00.000Z",
};
const REPLY = { version: 1, replyId: "echo:default:SM1", account: "default", to: "+15557654321", text: "hi" };

describe("queue messages", () => {
  it("accepts valid turns and replies", () => {
    expect(parseQueueMessage(turnSchema, JSON.stringify(TURN), "turn")).toEqual(TURN);
    expect(parseQueueMessage(replySchema, JSON.stringify(REPLY), "reply")).toEqual(REPLY);
  });

  it("names every bad field", () => {
    const bad = { ...REPLY, to: "5557654321", version: 2, replyId: "has spaces" };
    expect(() => parseQueueMessage(replySchema, JSON.stringify(bad), "reply")).toThrow(
      /reply\.version: .*reply\.replyId: expected 1-100 characters.*reply\.to: expected an E\.164 number/,
    );
    expect(() => parseQueueMessage(turnSchema, JSON.stringify({ ...TURN, messageSid: "x" }), "turn")).toThrow(
      /turn\.messageSid: expected a Twilio MessageSid/,
    );
  });

  it("rejects a reply with neither text nor media, non-https media, or non-JSON", () => {
    expect(() => parseQueueMessage(replySchema, JSON.stringify({ ...REPLY, text: " " }), "reply")).toThrow(
      /reply\.text: expected a non-empty text or at least one media URL/,
    );
    expect(() =>
      parseQueueMessage(replySchema, JSON.stringify({ ...REPLY, media: ["http://x.example/a.png"] }), "reply"),
    ).toThrow(/reply\.media\.0: expected a public https URL/);
    expect(() => parseQueueMessage(replySchema, "{", "reply")).toThrow(/reply: body is not JSON/);
  });

  it("committed JSON Schemas match the source (run `npm run schemas` after changing it)", () => {
    for (const [file, schema] of Object.entries(jsonSchemas())) {
      const committed = JSON.parse(readFileSync(new URL(`../../../schemas/${file}`, import.meta.url), "utf8"));
      expect(committed, file).toEqual(schema);
    }
  });
});
