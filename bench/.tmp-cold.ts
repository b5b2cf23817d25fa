import { benchColdStart } from "./cold-start.ts";
await benchColdStart();
