// spawnInNamespaces() must leave `container run` where it was: in its own namespaces and working
// directory. A learner who forgets to setns back would otherwise have the runtime prepare the host
// side (cgroups, the bridge, iptables) from inside the container's namespaces. The guard notices,
// puts the runtime back itself, and says what was forgotten.
import { closeSync, fstatSync, openSync, statSync } from "node:fs";
import { getcwd, setns } from "#native";

// pid_for_children: unshare(CLONE_NEWPID) changes where our children go, not our own namespace.
const KINDS = ["uts", "ipc", "net", "mnt", "pid_for_children"] as const;

export interface NamespaceGuard {
  /** What spawnInNamespaces() left changed, after putting it back: namespaces by name, and the working directory. */
  restore(): { namespaces: string[]; cwd?: { was: string; now: string } };
}

export function guardNamespaces(): NamespaceGuard {
  const cwd = process.cwd();
  // The directory itself, as the kernel has it: process.cwd() is cached and would not change.
  const here = statSync(".");
  const saved = KINDS.map((kind) => {
    const fd = openSync(`/proc/self/ns/${kind}`, "r");
    return { kind, fd, inode: fstatSync(fd).ino };
  });
  return {
    restore() {
      try {
        const left = saved.filter(({ kind, inode }) => statSync(`/proc/self/ns/${kind}`).ino !== inode);
        for (const { fd } of left) setns(fd);
        const now = statSync(".");
        if (now.ino === here.ino && now.dev === here.dev) return { namespaces: left.map((l) => l.kind) };
        const where = currentDir();
        // Joining a mount namespace moves to its root directory, so it goes back last.
        process.chdir(cwd);
        return { namespaces: left.map((l) => l.kind), cwd: { was: cwd, now: where } };
      } finally {
        for (const { fd } of saved) closeSync(fd);
      }
    },
  };
}

/** Where the working directory is, in the kernel's word (Node's process.cwd() is a cache). */
function currentDir(): string {
  try {
    return getcwd();
  } catch {
    return "a directory no longer reachable";
  }
}
