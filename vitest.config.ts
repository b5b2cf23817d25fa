import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration suites each start their own emulators on random ports; two workers fit a 2-core machine.
    maxWorkers: 2,
    // The AWS SDK's nine-line Node 22 notice, once per test process on Node 20 (README: Requirements).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
