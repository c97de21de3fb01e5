// Step 3: the mount namespace and the root directory.
// Everything here runs in the init process, inside its own mount namespace, before the command starts.
import { closeSync, mkdirSync, openSync, symlinkSync } from "node:fs";
import {
  chdir,
  chroot,
  mount,
  MS_BIND,
  MS_NODEV,
  MS_NOEXEC,
  MS_NOSUID,
  MS_PRIVATE,
  MS_RDONLY,
  MS_REC,
} from "#native";
import { inRoot } from "#given";

export function makeMountsPrivate(): void {
  // On systemd hosts / is shared: without this every mount below would appear on the host too.
  mount(null, "/", null, MS_REC | MS_PRIVATE);
}

export function mountProc(rootfs: string): void {
  // Mounted by a member of the new PID namespace, so it shows that namespace's processes.
  inRoot(rootfs, "/proc", { create: "directory", lastLink: "refuse" }, (target) => mount("proc", target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC));
}

// The device nodes Docker gives a container; bind-mounted from the host's /dev, which works
// everywhere mknod may not (and needs no knowledge of major/minor numbers).
const DEVICES = ["null", "zero", "full", "random", "urandom", "tty"];
const LINKS = [["ptmx", "pts/ptmx"], ["fd", "/proc/self/fd"], ["stdin", "/proc/self/fd/0"], ["stdout", "/proc/self/fd/1"], ["stderr", "/proc/self/fd/2"]];

// Through inRoot: the image's symlinks, or another container sharing the image's files, must not
// be able to point a mount at the host. /dev must be a directory of the image's own, not a link
// to elsewhere in it (as runc requires). Below the new tmpfs, everything is ours: plain paths do.
export function mountDev(rootfs: string): void {
  // No MS_NODEV here: the device nodes bound below must work.
  inRoot(rootfs, "/dev", { create: "directory", lastLink: "refuse" }, (dev) => mount("tmpfs", dev, "tmpfs", MS_NOSUID, "mode=755,size=65536k"));
  inRoot(rootfs, "/dev", { expect: "directory" }, (dev) => {
    for (const name of DEVICES) {
      closeSync(openSync(`${dev}/${name}`, "w"));
      mount(`/dev/${name}`, `${dev}/${name}`, null, MS_BIND);
    }
    mkdirSync(`${dev}/pts`);
    mount("devpts", `${dev}/pts`, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620");
    mkdirSync(`${dev}/shm`);
    mount("shm", `${dev}/shm`, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k");
    for (const [name, target] of LINKS) symlinkSync(target!, `${dev}/${name}`);
  });
}

export function mountSys(rootfs: string): void {
  // A new network namespace may mount sysfs; read-only so the container cannot retune the host.
  inRoot(rootfs, "/sys", { create: "directory", lastLink: "refuse" }, (target) => mount("sysfs", target, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC));
}

export function changeRoot(rootfs: string): void {
  chroot(rootfs);
  // chroot leaves the working directory outside the new root: without this, ".." walks back to the host.
  chdir("/");
}
