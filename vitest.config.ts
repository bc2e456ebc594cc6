import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

const src = resolve(import.meta.dirname, "src");

export default defineConfig({
  resolve: {
    // examples/ imports the package by name, as a user's project does (tsconfig.json "paths" says the same to tsc).
    alias: [
      { find: /^graph-comms-kit$/, replacement: `${src}/client/index.ts` },
      { find: /^graph-comms-kit\/(.+)$/, replacement: `${src}/$1/index.ts` },
    ],
  },
  test: {
    typecheck: {
      enabled: true,
      include: ["test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
    },
    // One worker more than this machine's two cores: many files mostly wait on child processes and sockets.
    maxWorkers: 3,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
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
