import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    typecheck: {
      enabled: true,
      include: ["test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
    },
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/mocks/prism/**", "test/redis/**", "**/node_modules/**"],
        },
      },
      {
        // Tests against the real Prism mock server: test/mocks/prism/global-setup.ts starts it once (only when a
        // file of this project runs) and provides its URL and callback port to the tests.
        extends: true,
        test: {
          name: "prism",
          include: ["test/mocks/prism/**/*.test.ts"],
          globalSetup: ["test/mocks/prism/global-setup.ts"],
          typecheck: { enabled: false },
        },
      },
      {
        // Tests against a real redis-server: test/redis/global-setup.ts starts one (only when a file of
        // this project runs) and provides its URL; the restart test runs its own.
        extends: true,
        test: {
          name: "redis",
          include: ["test/redis/**/*.test.ts"],
          globalSetup: ["test/redis/global-setup.ts"],
          typecheck: { enabled: false },
        },
      },
    ],
  },
});
