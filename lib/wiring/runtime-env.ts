import { readRuntimeConfig } from "../config/runtime.ts";
import type { RuntimeConfig } from "../config/types.ts";
import { memo, requiredEnv } from "./memo.ts";

export const runtimeConfig = memo((): RuntimeConfig => readRuntimeConfig(process.env));
export const tableName = memo(() => requiredEnv("SMS_TABLE_NAME"));
export const stageBaseUrl = memo(() => requiredEnv("SMS_WEBHOOK_BASE_URL"));
