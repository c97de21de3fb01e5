// Bonus step: exec. A second process in a running container: born in its namespaces (the PID
// namespace takes a new process, so the runtime spawns while it is in them, as for run), then in
// its mount namespace and root, which the new process takes itself.
import { closeSync, openSync } from "node:fs";
import { chdir, chroot, CLONE_FS, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWUTS, fchdir, setns, unshare } from "#native";

// Not mnt: a spawn from inside the container's mount namespace would look for node in the
// container's files. pid: setns changes where our children are born, not our own namespace.
const JOINED: [number, string][] = [
  [CLONE_NEWUTS, "uts"],
  [CLONE_NEWIPC, "ipc"],
  [CLONE_NEWNET, "net"],
  [CLONE_NEWPID, "pid"],
];

export function spawnInContainer<T>(pid: number, spawn: () => T): T {
  const theirs = JOINED.map(([flag, name]) => ({ flag, fd: openSync(`/proc/${pid}/ns/${name}`, "r") }));
  const ours = JOINED.map(([flag, name]) => ({ flag, fd: openSync(`/proc/self/ns/${name === "pid" ? "pid_for_children" : name}`, "r") }));
  try {
    for (const { fd, flag } of theirs) setns(fd, flag);
    try {
      return spawn();
    } finally {
      for (const { fd, flag } of ours) setns(fd, flag);
    }
  } finally {
    for (const { fd } of [...theirs, ...ours]) closeSync(fd);
  }
}

export function enterContainerRoot(pid: number, cwd: string): void {
  // Opened before we move: from inside the container's mount namespace, /proc may not be the host's.
  const mnt = openSync(`/proc/${pid}/ns/mnt`, "r");
  const root = openSync(`/proc/${pid}/root`, "r");
  try {
    // setns into a mount namespace wants a filesystem context of our own: Node's threads share ours.
    unshare(CLONE_FS);
    setns(mnt, CLONE_NEWNS);
    // Joining puts us at the namespace's root, which under chroot is not the container's: take its root as nsenter --root does.
    fchdir(root);
    chroot(".");
  } finally {
    closeSync(mnt);
    closeSync(root);
  }
  // Only now, with the container's root as "/": its symlinks resolve inside it, never on the host.
  chdir(cwd);
}
