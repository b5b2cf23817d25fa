import { randomUUID } from "node:crypto";
import type { AdminDeps } from "../admin/deps.ts";
import { accessStore, publisher, runtimeConfig, stageBaseUrl, twilioFor } from "./common.ts";
import { log } from "./logger.ts";

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
