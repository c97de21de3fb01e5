// Step 2: namespaces. Node's spawn cannot pass clone flags, so we move ourselves into new
// namespaces, spawn (the child is born there), and move straight back.
import { closeSync, openSync } from "node:fs";
import {
  CLONE_NEWIPC,
  CLONE_NEWNET,
  CLONE_NEWNS,
  CLONE_NEWPID,
  CLONE_NEWUTS,
  sethostname,
  setns,
  unshare,
} from "#native";
import type { NetworkMode } from "#contract";

export function namespaceFlags(network: NetworkMode): number {
  const flags = CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWNS | CLONE_NEWIPC;
  return network === "host" ? flags : flags | CLONE_NEWNET;
}

// /proc/self/ns/<name> for each flag. For PID, unshare changes pid_for_children, not our own pid namespace.
const NS_FILES: [number, string][] = [
  [CLONE_NEWUTS, "uts"],
  [CLONE_NEWIPC, "ipc"],
  [CLONE_NEWNET, "net"],
  [CLONE_NEWPID, "pid_for_children"],
  [CLONE_NEWNS, "mnt"],
];

export function spawnInNamespaces<T>(flags: number, spawn: () => T): T {
  const saved = NS_FILES.filter(([flag]) => flags & flag).map(([flag, name]) => ({
    flag,
    fd: openSync(`/proc/self/ns/${name}`, "r"),
  }));
  // Joining a mount namespace also moves us to its root directory: remember where we were.
  const cwd = process.cwd();
  try {
    unshare(flags);
    try {
      return spawn();
    } finally {
      for (const { fd, flag } of saved) setns(fd, flag);
      if (flags & CLONE_NEWNS) process.chdir(cwd);
    }
  } finally {
    for (const { fd } of saved) closeSync(fd);
  }
}

export function setHostname(name: string): void {
  sethostname(name);
}
