// spawnInNamespaces() must leave `container run` where it was: in its own namespaces and working
// directory. A learner who forgets to setns back would otherwise have the runtime prepare the host
// side (cgroups, the bridge, iptables) from inside the container's namespaces. The guard notices,
// puts the runtime back itself, and says what was forgotten.
import { closeSync, fstatSync, openSync, statSync } from "node:fs";
import { getcwd, setns } from "#native";
import { readAbout, stepIdOf } from "../course/steps.js";
import { UserError } from "../errors.js";
import type { EventLog } from "./events.js";

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

/**
 * What `func` (run's spawnInNamespaces, exec's spawnInContainer) forgot to undo, said as the fix,
 * and told on the event channel.
 */
export function notReturned(events: EventLog, func: "spawnInNamespaces" | "spawnInContainer", left: ReturnType<NamespaceGuard["restore"]>): UserError {
  const { namespaces, cwd } = left;
  const who = func === "spawnInNamespaces" ? "container run" : "container exec";
  const where = func === "spawnInNamespaces" ? "the new namespaces" : "the container's namespaces";
  const message = namespaces.length
    ? `${func}() left ${who} in ${where} (${namespaces.join(", ")})${func === "spawnInNamespaces" ? ", where it would set up the host side" : ""}`
    : `${func}() left ${who} in ${cwd?.now} instead of ${cwd?.was}`;
  const fix = namespaces.length ? "setns back to each namespace you saved, once spawn() has returned" : "joining a mount namespace moves you to its root: chdir back to where you were";
  events.emit({ event: "failed", step: stepIdOf(func), func, message });
  return new UserError(message, `${fix} (${readAbout(func)})`);
}
