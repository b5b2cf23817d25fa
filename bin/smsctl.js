#!/usr/bin/env node
// smsctl: the SMS channel's operator CLI. Runs the TypeScript sources through tsx, so no build step is needed.
import { register } from "tsx/esm/api";

register();
await import("../lib/cli/main.ts");
