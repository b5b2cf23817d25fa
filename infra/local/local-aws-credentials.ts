import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * dynalite and fauxqs accept any signature, but the SDK signs every request, so it needs credentials of some kind.
 * When the machine has its own (env, a profile, ~/.aws), they are left alone: a Bedrock agent run locally needs them
 * for real. Only on a machine with none are placeholders set.
 */
export function placeholderCredentialsEnv(env: NodeJS.ProcessEnv, home = homedir()): Record<string, string> {
  const configured =
    Boolean(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) ||
    existsSync(env.AWS_SHARED_CREDENTIALS_FILE || join(home, ".aws", "credentials")) ||
    existsSync(env.AWS_CONFIG_FILE || join(home, ".aws", "config"));
  return configured ? {} : { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" };
}
