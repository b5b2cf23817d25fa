import { z } from "zod";
import { secretRefSchema } from "./secret-ref-schema.ts";

/**
 * `agent` as users write it, per account (inherited from the top level like the other keys). Cross-field rules
 * (baseUrl scheme, mixing "queue" with built-in agents) live in agent-config.ts.
 */

export const AGENT_KINDS = ["openai", "bedrock", "echo", "queue"] as const;

/** A non-empty string the agent cannot do without; missing or empty, the message says what is expected. */
const required = (expected: string) =>
  z.string({ error: `required: expected ${expected}` }).regex(/\S/, `required: expected ${expected}`);

/** What every model-backed agent may set. */
const modelFields = {
  system: z
    .string()
    .min(1, "expected a non-empty system prompt")
    .max(20_000, "expected at most 20000 characters")
    .optional(),
  history: z
    .number()
    .int("expected a whole number")
    .min(0, "expected 0 (no memory) or more")
    .max(100, "expected at most 100 messages")
    .optional(),
  maxTokens: z.number().int("expected a whole number").min(1).max(100_000).optional(),
  failureReply: z.string().max(320, "expected at most 320 characters (two SMS)").optional(),
};

const openAiSchema = z.strictObject({
  kind: z.literal("openai"),
  baseUrl: required("the endpoint's base URL, e.g. https://api.openai.com/v1"),
  model: required("a model name, e.g. gpt-4o-mini, llama3.2 or openclaw:main"),
  apiKey: z
    .union([z.string().min(1, "expected a non-empty key"), secretRefSchema], {
      error: 'expected a key or a SecretRef such as { source: "env", id: "OPENAI_API_KEY" }',
    })
    .optional(),
  timeoutMs: z.number().int("expected a whole number").min(1_000, "expected at least 1000").max(600_000).optional(),
  ...modelFields,
});

const bedrockSchema = z.strictObject({
  kind: z.literal("bedrock"),
  modelId: required(
    "a Bedrock model id, inference profile id or ARN, e.g. us.anthropic.claude-3-5-haiku-20241022-v1:0",
  ),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "expected an AWS region such as us-east-1")
    .optional(),
  ...modelFields,
});

export const agentSchema = z.discriminatedUnion(
  "kind",
  [
    openAiSchema,
    bedrockSchema,
    z.strictObject({ kind: z.literal("echo") }),
    z.strictObject({ kind: z.literal("queue") }),
  ],
  { error: `expected kind ${AGENT_KINDS.map((kind) => `"${kind}"`).join(", ")}` },
);

export type AgentFields = z.infer<typeof agentSchema>;
