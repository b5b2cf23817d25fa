import { randomUUID } from "node:crypto";
import type { AdminDeps } from "../admin/deps.ts";
import { log } from "./logger.ts";
import { publisher } from "./queues.ts";
import { runtimeConfig, stageBaseUrl } from "./runtime-env.ts";
import { accessStore } from "./stores.ts";
import { twilioFor } from "./twilio.ts";

let deps: AdminDeps | undefined;

export function adminDeps(): AdminDeps {
  deps ??= {
    config: runtimeConfig(),
    access: accessStore(),
    queues: publisher(),
    twilioFor,
    stageBaseUrl: stageBaseUrl(),
    now: Date.now,
    newId: randomUUID,
    log,
  };
  return deps;
}
