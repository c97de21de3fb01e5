/**
 * Running the real `container` CLI the way a user does, inside throwaway sandboxes standing in for
 * the host (their own mount, UTS and network namespaces: see app/sandbox/sandbox.ts), with a store
 * root and a cgroup parent of their own. Everything runs leave behind is listed by `leftovers()`
 * and removed by `cleanUp()`. The checks build on it, and so do the tests (tests/helpers/container.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, rmdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { RuntimeEvent } from "../runtime/events.js";
import { sandboxed } from "../sandbox/sandbox.js";
import { containerCgroupDirs, parentDirs } from "./cgroup-tree.js";
import { CONTAINER } from "./repo.js";

export { CONTAINER };

export interface Result {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** What the runtime told on its machine channel, for runs started with `--events` (the checks' are). */
  events?: RuntimeEvent[];
}

export interface SpawnOptions {
  impl?: string;
  input?: string;
  env?: NodeJS.ProcessEnv;
  /** Milliseconds before the process is killed (default 20 s); the caller then sees the status. */
  timeout?: number;
}

export class Harness {
  /**
   * @param root the store root (CONTAINER_ROOT) of the runs
   * @param cgroupParent their CONTAINER_CGROUP_PARENT
   * @param impl the implementation when a run names none (WORKSHOP_IMPL)
   */
  constructor(
    readonly root: string,
    readonly cgroupParent: string,
    readonly impl: string,
  ) {}

  /**
   * The environment of a run: the store root, the cgroup parent, and `$CONTAINER` for scripts.
   * The sandboxes' bridges are their own, so their address reservations go in the root too, not
   * in the machine's /run.
   */
  environment(options: SpawnOptions = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      CONTAINER_ROOT: this.root,
      CONTAINER_RUN_DIR: join(this.root, "run"),
      CONTAINER_CGROUP_PARENT: this.cgroupParent,
      WORKSHOP_IMPL: options.impl ?? this.impl,
      CONTAINER: `${process.execPath} ${CONTAINER}`,
      ...options.env,
    };
  }

  /** `container ARGS...` in a fresh sandbox. */
  run(args: string[], options: SpawnOptions = {}): Promise<Result> {
    return collect(this.start(args, options), options);
  }

  /** A shell script in one sandbox, with `$CONTAINER` calling the CLI: for several containers at once. */
  script(text: string, options: SpawnOptions = {}): Promise<Result> {
    return collect(this.spawn("sh", ["-c", text], options), options);
  }

  start(args: string[], options: SpawnOptions = {}): ChildProcess {
    return this.spawn(process.execPath, [CONTAINER, ...args], options);
  }

  /** Any program in a fresh sandbox, with the same environment as `run` (e.g. a shell driven step by step). */
  spawn(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    const sandbox = sandboxed(command, args);
    return spawn(sandbox.command, sandbox.args, { env: { ...sandbox.env, ...this.environment(options) }, stdio: ["pipe", "pipe", "pipe"] });
  }

  /** The cgroup directories of running containers, per controller (v1) or in the one tree (v2). */
  cgroupDirs(): string[] {
    return containerCgroupDirs(this.cgroupParent);
  }

  /** What runs left behind: cgroups, container state, address reservations. Empty when all is clean. */
  leftovers(): string[] {
    const left = this.cgroupDirs();
    for (const sub of ["containers", "run"]) {
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
    for (const dir of parentDirs(this.cgroupParent)) if (existsSync(dir)) rmdirSync(dir);
    rmSync(this.root, { recursive: true, force: true });
  }
}

export function collect(child: ChildProcess, options: SpawnOptions = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    // A command that exits without reading its stdin closes the pipe: an EPIPE here is no error of
    // ours, and unhandled it would crash the process running the checks.
    child.stdin?.on("error", () => undefined);
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
