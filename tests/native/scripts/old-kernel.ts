// Plays a kernel older than 5.6: a seccomp filter makes openat2 and mount_setattr fail with ENOSYS.
// openInRoot and makeReadOnlyRecursive must notice and fall back by themselves; the trace shows how.
import { mkdirSync, writeFileSync } from "node:fs";
import { constants } from "node:os";
import { join } from "node:path";
import {
  buildSeccompFilter,
  close,
  CLONE_NEWNS,
  fstat,
  loadSeccompFilter,
  makeReadOnlyRecursive,
  mount,
  MS_PRIVATE,
  MS_REC,
  openInRoot,
  setTrace,
  unshare,
} from "#native";

const [dir, traceFile] = process.argv.slice(2) as [string, string];
unshare(CLONE_NEWNS);
mount(null, "/", null, MS_REC | MS_PRIVATE);
const ro = join(dir, "ro");
mkdirSync(join(dir, "root"));
mkdirSync(ro);
mount("tmpfs", ro, "tmpfs", 0, "size=1m");
mkdirSync(join(ro, "sub"));
mount("tmpfs", join(ro, "sub"), "tmpfs", 0, "size=1m");
const { ENOSYS } = constants.errno;
loadSeccompFilter(buildSeccompFilter({ rules: [{ syscall: "openat2", errno: ENOSYS }, { syscall: "mount_setattr", errno: ENOSYS }] }));

setTrace(traceFile);
const types = ["a/b", "a/b/c"].map((path) => {
  const fd = openInRoot(join(dir, "root"), path, { mkdirs: true, create: "directory" });
  const { type } = fstat(fd);
  close(fd);
  return type;
});
makeReadOnlyRecursive(ro);
setTrace(null);
let write: string;
try {
  writeFileSync(join(ro, "sub/file"), "");
  write = "written";
} catch (error) {
  write = (error as NodeJS.ErrnoException).code!;
}
process.stdout.write(JSON.stringify({ types, write }));
