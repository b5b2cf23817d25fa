import { z } from "zod";
import { replySchema, turnSchema } from "./messages.ts";

export function jsonSchemas(): Record<string, unknown> {
  return {
    "turn.v1.schema.json": { $id: "https://sms-channel.dev/schemas/turn.v1.json", ...z.toJSONSchema(turnSchema) },
    "reply.v1.schema.json": { $id: "https://sms-channel.dev/schemas/reply.v1.json", ...z.toJSONSchema(replySchema) },
  };
}
