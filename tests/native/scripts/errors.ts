// Provokes the failures the course warns about and prints what SyscallError carried.
import { mkdirSync } from "node:fs";
import { CLONE_NEWNS, CLONE_NEWUTS, mount, MS_PRIVATE, MS_REC, pivotRoot, setgid, setgroups, setuid, sethostname, SyscallError, unshare } from "#native";

function attempt(run: () => void) {
  try {
    run();
    return { ok: true };
  } catch (error) {
    if (!(error instanceof SyscallError)) throw error;
    const { call, args, code, errno, hint, message } = error;
    return { call, args, code, errno, hint, message };
  }
}

const results: Record<string, unknown> = {};
// The classic mistake: a new root that is a plain directory, not a mount point of its own.
// On the same mount as "/", the kernel says EBUSY; on another mount (a tmpfs here), EINVAL.
const [onRootFs, onTmpfs] = process.argv.slice(2) as [string, string];
unshare(CLONE_NEWNS);
mount(null, "/", null, MS_REC | MS_PRIVATE);
mkdirSync(`${onRootFs}/old`, { recursive: true });
results.ebusy = attempt(() => pivotRoot(onRootFs, `${onRootFs}/old`));
mount("tmpfs", onTmpfs, "tmpfs", 0);
mkdirSync(`${onTmpfs}/new-root/old`, { recursive: true });
results.einval = attempt(() => pivotRoot(`${onTmpfs}/new-root`, `${onTmpfs}/new-root/old`));
// Drop root, then try what needs it: EPERM.
unshare(CLONE_NEWUTS);
setgroups([]);
setgid(65534);
setuid(65534);
results.eperm = attempt(() => sethostname("nope"));
process.stdout.write(JSON.stringify(results));
