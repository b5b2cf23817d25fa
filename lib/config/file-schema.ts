import { z } from "zod";
import { DM_POLICIES } from "./policy.ts";

/** Shapes of `channels.sms` as users write it (the seed's keys). Cross-field rules live in resolve.ts. */

const secretRefSchema = z.strictObject({
  source: z.enum(["env", "aws"], { error: 'expected "env" or "aws"' }),
  provider: z.string().optional(),
  id: z.string().min(1, "expected a non-empty id"),
});

const rateLimitSchema = z.strictObject({
  perSenderPerMinute: z.number().int().min(1).max(10_000).optional(),
  perAccountPerMinute: z.number().int().min(1).max(100_000).optional(),
});

export const accountFieldsShape = {
  enabled: z.boolean().optional(),
  accountSid: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, "expected a Twilio Account SID: AC followed by 32 hex characters")
    .optional(),
  authToken: z.union([z.string().min(1, "expected a non-empty auth token"), secretRefSchema]).optional(),
  fromNumber: z.string().optional(),
  messagingServiceSid: z
    .string()
    .regex(/^MG[0-9a-fA-F]{32}$/, "expected a Messaging Service SID: MG followed by 32 hex characters")
    .optional(),
  publicWebhookUrl: z.string().optional(),
  webhookPath: z
    .string()
    .regex(/^\/[A-Za-z0-9._~\-/]*$/, "expected a path starting with / (letters, digits, . _ ~ - /)")
    .optional(),
  dmPolicy: z.enum(DM_POLICIES, { error: `expected one of ${DM_POLICIES.join(", ")}` }).optional(),
  allowFrom: z.array(z.string()).optional(),
  defaultTo: z.string().optional(),
  textChunkLimit: z.number().int().min(1).max(1600, "expected at most 1600 (Twilio's body limit)").optional(),
  dangerouslyDisableSignatureValidation: z.boolean().optional(),
  inboundRateLimit: rateLimitSchema.optional(),
};

const accountSchema = z.strictObject(accountFieldsShape);

export const smsSectionSchema = z.strictObject({
  ...accountFieldsShape,
  accounts: z
    .record(
      z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/i, "expected an account id of letters, digits, _ or -"),
      accountSchema,
    )
    .optional(),
  defaultAccount: z.string().optional(),
});

export const configFileSchema = z.looseObject({
  channels: z.looseObject({ sms: smsSectionSchema.optional() }).optional(),
});

export type AccountFields = z.infer<typeof accountSchema>;
export type SmsSection = z.infer<typeof smsSectionSchema>;
export type ConfigFile = z.infer<typeof configFileSchema>;
