/**
 * Running the real `container` CLI the way a user does, inside a throwaway sandbox standing in for
 * the host (its own mount, UTS and network namespaces: see app/sandbox/sandbox.ts), with a
 * temporary store root and cgroup parent of its own. Everything a run leaves behind is checked
 * and removed by `leftovers()` / `cleanUp()`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { REPO } from "../../bin/lib/build.mjs";
import { findCgroupRoot } from "../../app/runtime/cgroup-root.js";
import { sandboxed } from "../../app/sandbox/sandbox.js";

export const CONTAINER = join(REPO, "bin/container");

export interface Result {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  impl?: string;
  input?: string;
  env?: NodeJS.ProcessEnv;
  /** Milliseconds before the whole sandbox is killed; the test then fails on the status. */
  timeout?: number;
}

/** A store root and a cgroup parent for one test file, with the busybox test image pulled into it. */
export class Workspace {
  readonly root = mkdtempSync(join(tmpdir(), "workshop-runtime-"));
  readonly cgroupParent = `workshop-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  readonly image = inject("busyboxRef");

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

  /** `container ARGS...` in a fresh sandbox. */
  run(args: string[], options: RunOptions = {}): Promise<Result> {
    return collect(this.start(args, options), options);
  }

  /** A shell script in one sandbox, with `$CONTAINER` calling the CLI: for several containers at once. */
  script(text: string, options: RunOptions = {}): Promise<Result> {
    return collect(this.spawn("sh", ["-c", text], options), options);
  }

  start(args: string[], options: RunOptions = {}): ChildProcess {
    return this.spawn(process.execPath, [CONTAINER, ...args], options);
  }

  private spawn(command: string, args: string[], options: RunOptions): ChildProcess {
    const sandbox = sandboxed(command, args);
    return spawn(sandbox.command, sandbox.args, {
      env: {
        PATH: process.env.PATH,
        ...sandbox.env,
        CONTAINER_ROOT: this.root,
        CONTAINER_CGROUP_PARENT: this.cgroupParent,
        WORKSHOP_IMPL: options.impl ?? "solutions",
        CONTAINER: `${process.execPath} ${CONTAINER}`,
        ...options.env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
  }

  /** The cgroup directories of running containers, per controller (v1) or in the one tree (v2). */
  cgroupDirs(): string[] {
    const root = findCgroupRoot(this.cgroupParent);
    if (!root) return [];
    const bases = root.version === 2 ? [root.path] : [...new Set(Object.values(root.controllers))];
    return bases.flatMap((base) => {
      const parent = join(base, this.cgroupParent);
      if (!existsSync(parent)) return [];
      return readdirSync(parent, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => join(parent, d.name));
    });
  }

  /** What runs left behind: cgroups, container state, address reservations. Empty when all is clean. */
  leftovers(): string[] {
    const left = this.cgroupDirs();
    for (const sub of ["containers", "network"]) {
      const dir = join(this.root, sub);
      if (!existsSync(dir)) continue;
      const walk = (d: string): string[] =>
        readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
      left.push(...(sub === "containers" ? readdirSync(dir).map((id) => join(dir, id)) : walk(dir)));
    }
    return left;
  }

  /** Removes the parent cgroups and the store root. */
  cleanUp(): void {
    const root = findCgroupRoot(this.cgroupParent);
    if (root) {
      const bases = root.version === 2 ? [root.path] : [...new Set(Object.values(root.controllers))];
      for (const base of bases) {
        const parent = join(base, this.cgroupParent);
        if (existsSync(parent)) rmdirSync(parent);
      }
    }
    rmSync(this.root, { recursive: true, force: true });
  }
}

export function collect(child: ChildProcess, options: RunOptions = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdin?.end(options.input ?? "");
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeout ?? 20_000);
    child.once("error", reject);
    child.once("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

/** Waits until `probe` returns a value, or fails after `ms`. */
export async function eventually<T>(probe: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 25));
  }
}
