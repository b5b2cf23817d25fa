import { AccessStore } from "../store/access-store.ts";
import { dynamo } from "./aws-clients.ts";
import { memo } from "./memo.ts";
import { tableName } from "./runtime-env.ts";

export const accessStore = memo(() => new AccessStore(dynamo(), tableName()));
