// Step 3: the mount namespace and the root directory.
// Everything here runs in the init process, inside its own mount namespace, before the command starts.
import { closeSync, existsSync, mkdirSync, openSync, symlinkSync } from "node:fs";
import { join } from "node:path";
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

export function makeMountsPrivate(): void {
  // On systemd hosts / is shared: without this every mount below would appear on the host too.
  mount(null, "/", null, MS_REC | MS_PRIVATE);
}

export function mountProc(rootfs: string): void {
  const target = ensureDir(join(rootfs, "proc"));
  // Mounted by a member of the new PID namespace, so it shows that namespace's processes.
  mount("proc", target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC);
}

// The device nodes Docker gives a container; bind-mounted from the host's /dev, which works
// everywhere mknod may not (and needs no knowledge of major/minor numbers).
const DEVICES = ["null", "zero", "full", "random", "urandom", "tty"];

export function mountDev(rootfs: string): void {
  const dev = ensureDir(join(rootfs, "dev"));
  // No MS_NODEV here: the device nodes bound below must work.
  mount("tmpfs", dev, "tmpfs", MS_NOSUID, "mode=755,size=65536k");
  for (const name of DEVICES) {
    const node = join(dev, name);
    closeSync(openSync(node, "w"));
    mount(`/dev/${name}`, node, null, MS_BIND);
  }
  const pts = ensureDir(join(dev, "pts"));
  mount("devpts", pts, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620");
  symlinkSync("pts/ptmx", join(dev, "ptmx"));
  mount("shm", ensureDir(join(dev, "shm")), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k");
  for (const [name, target] of [["fd", "/proc/self/fd"], ["stdin", "/proc/self/fd/0"], ["stdout", "/proc/self/fd/1"], ["stderr", "/proc/self/fd/2"]] as const) {
    symlinkSync(target, join(dev, name));
  }
}

export function mountSys(rootfs: string): void {
  const target = ensureDir(join(rootfs, "sys"));
  // A new network namespace may mount sysfs; read-only so the container cannot retune the host.
  mount("sysfs", target, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
}

export function changeRoot(rootfs: string): void {
  chroot(rootfs);
  // chroot leaves the working directory outside the new root: without this, ".." walks back to the host.
  chdir("/");
}

function ensureDir(path: string): string {
  if (!existsSync(path)) mkdirSync(path, { recursive: true });
  return path;
}
