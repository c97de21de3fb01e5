/**
 * The tests' workspace: app/checks/harness.ts (the real `container` CLI in throwaway sandboxes)
 * with a temporary store root and cgroup parent per test file, and the busybox test image pulled
 * from the loopback registry that tests/setup/global.ts serves.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { collect, CONTAINER, Harness } from "../../app/checks/harness.js";

export { collect, CONTAINER, eventually, type Result, type SpawnOptions as RunOptions } from "../../app/checks/harness.js";

export class Workspace extends Harness {
  readonly image = inject("busyboxRef");

  constructor() {
    super(mkdtempSync(join(tmpdir(), "workshop-runtime-")), `workshop-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`, "solutions");
  }

  /**
   * `container pull` of the test image, outside any sandbox: the registry listens on the machine's
   * loopback, which a sandbox (a network namespace of its own) cannot reach.
   */
  async pull(): Promise<void> {
    const result = await collect(
      spawn(process.execPath, [CONTAINER, "pull", this.image], { env: { PATH: process.env.PATH, CONTAINER_ROOT: this.root, WORKSHOP_IMPL: "solutions" } }),
    );
    if (result.status !== 0) throw new Error(`pull failed: ${result.stderr}`);
  }
}
