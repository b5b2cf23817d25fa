import { AccessStore } from "../store/access-store.ts";
import { dynamoClient } from "../store/dynamo-client.ts";
import { memo } from "./memo.ts";
import { tableName } from "./runtime-env.ts";

export const accessStore = memo(() => new AccessStore(dynamoClient(), tableName()));
