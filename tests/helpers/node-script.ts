import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { basename } from "node:path";
import { ensureBuilt } from "../../app/build/bundle.mjs";

/**
 * Runs a TypeScript file as its own Node process, bundled the way the workshop's programs are
 * (so `#native` resolves). Tests change namespaces and mounts only inside such throwaway processes,
 * never in the test runner itself.
 */
export async function runScript(file: string, args: string[] = [], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<SpawnSyncReturns<string>> {
  const built = await ensureBuilt({ name: `test-${basename(file, ".ts")}`, entries: { script: file } });
  return spawnSync(process.execPath, [built.files.script!, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, ...options.env },
    input: options.input,
    timeout: 20_000,
  });
}
