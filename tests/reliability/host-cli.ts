/**
 * `container pull` as a user runs it, outside any sandbox: the test registry listens on this
 * machine's loopback, which a sandbox (a network namespace of its own) cannot reach. Only `pull`
 * runs this way, since it touches nothing but the store and 127.0.0.1; `run` always goes
 * through the Workspace's sandbox.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { CONTAINER } from "../helpers/container.js";

export function startPull(root: string, ...args: string[]): ChildProcess {
  return spawn(process.execPath, [CONTAINER, "pull", ...args], {
    env: { PATH: process.env.PATH, CONTAINER_ROOT: root, WORKSHOP_IMPL: "solutions" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}
