import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SecretFetcher } from "./secret-resolver.ts";

export function secretsManagerFetcher(client = new SecretsManagerClient({})): SecretFetcher {
  return {
    async getSecretString(secretId) {
      const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      if (result.SecretString === undefined) throw new Error(`secret ${secretId} has no string value`);
      return result.SecretString;
    },
  };
}
