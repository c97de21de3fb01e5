/**
 * `container` as a user runs it, outside any sandbox: the test registry listens on this machine's
 * loopback, which a sandbox (a network namespace of its own) cannot reach. Only commands that
 * touch nothing but the store and 127.0.0.1 run this way (`pull`, and `images`, `rmi` and `prune`
 * of a store without containers); `run` always goes through the Workspace's sandbox.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { CONTAINER } from "../helpers/container.js";

export function startPull(root: string, ...args: string[]): ChildProcess {
  return startOnHost(root, "pull", ...args);
}

/** The run directory is the store's own, as in the sandboxes: nothing goes into the machine's /run. */
export function startOnHost(root: string, ...args: string[]): ChildProcess {
  return spawn(process.execPath, [CONTAINER, ...args], {
    env: { PATH: process.env.PATH, CONTAINER_ROOT: root, CONTAINER_RUN_DIR: join(root, "run"), WORKSHOP_IMPL: "solutions" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}
