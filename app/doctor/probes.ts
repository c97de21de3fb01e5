// The doctor's probes on the real machine.
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { release } from "node:os";
import { delimiter, join } from "node:path";
import { HOST_BUSYBOX } from "../image/busybox-image.js";
import { findCgroupRoot } from "../runtime/cgroup-root.js";
import { SYSTEM_DIRS } from "../system-path.js";
import type { Probes } from "./index.js";

export function realProbes(): Probes {
  return {
    platform: process.platform,
    uid: process.getuid?.(),
    nodeVersion: process.versions.node,
    kernel: release(),
    run,
    which,
    offPath,
    cgroupRoot: () => findCgroupRoot(),
    busybox: () => (existsSync(HOST_BUSYBOX) ? HOST_BUSYBOX : undefined),
    registryReachable,
  };
}

function run(command: string, args: string[]): Promise<{ status: number | null; stderr: string } | { missing: true }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"], timeout: 10_000 });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ENOENT" ? { missing: true } : { status: null, stderr: error.message }));
    child.once("close", (status) => resolve({ status, stderr }));
  });
}

function which(program: string): string | undefined {
  return findIn(pathDirs(), program);
}

function offPath(program: string): string | undefined {
  const path = pathDirs();
  return findIn(
    SYSTEM_DIRS.filter((dir) => !path.includes(dir)),
    program,
  );
}

function pathDirs(): string[] {
  return (process.env.PATH ?? "").split(delimiter).map((dir) => dir || ".");
}

function findIn(dirs: string[], program: string): string | undefined {
  for (const dir of dirs) {
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

// Any answer, even 401, means the registry is reachable.
async function registryReachable(): Promise<boolean> {
  try {
    await fetch("https://registry-1.docker.io/v2/", { method: "HEAD", signal: AbortSignal.timeout(3000) });
    return true;
  } catch {
    return false;
  }
}
