import { z } from "zod";

/** A SecretRef as users write it: `{ source: "env" | "aws", id }` (the seed's shape; `provider` is kept, unused). */
export const secretRefSchema = z.strictObject({
  source: z.enum(["env", "aws"], { error: 'expected "env" or "aws"' }),
  provider: z.string().optional(),
  id: z.string().min(1, "expected a non-empty id"),
});
