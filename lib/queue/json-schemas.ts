import * as z from "zod/mini";
import { replySchema, turnSchema } from "./messages.ts";

export function jsonSchemas(): Record<string, unknown> {
  return {
    "turn.v1.schema.json": { $id: "turn.v1.schema.json", ...z.toJSONSchema(turnSchema) },
    "reply.v1.schema.json": { $id: "reply.v1.schema.json", ...z.toJSONSchema(replySchema) },
  };
}
