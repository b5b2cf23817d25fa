import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration suites each start their own emulators on random ports; two workers fit a 2-core machine.
    maxWorkers: 2,
  },
});
