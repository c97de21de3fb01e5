import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "tests/**/*.test.tsx"],
    // Tests change namespaces, mounts and cgroups in child processes only; files run in forks
    // so a crash in one cannot take the others down.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ["tests/setup/global.ts"],
    setupFiles: ["tests/setup/interactive-ink.ts"],
  },
});
