/**
 * `container pull` as a user runs it, outside any sandbox: the test registry listens on this
 * machine's loopback, which a sandbox (a network namespace of its own) cannot reach. Only
 * commands that touch nothing but the store and 127.0.0.1 run this way; `run` always goes
 * through the Workspace's sandbox.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { CONTAINER } from "../helpers/container.js";

export function startPull(root: string, ref: string): ChildProcess {
  return spawn(process.execPath, [CONTAINER, "pull", ref], {
    env: { PATH: process.env.PATH, CONTAINER_ROOT: root, WORKSHOP_IMPL: "solutions" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}
