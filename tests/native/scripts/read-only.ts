// In a mount namespace of its own: a bind of a tmpfs that holds another tmpfs (nosuid, nodev,
// noexec), made read-only recursively; reports where writes still work and each mount's options.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CLONE_NEWNS, makeReadOnlyRecursive, mount, MS_BIND, MS_NODEV, MS_NOEXEC, MS_NOSUID, MS_PRIVATE, MS_REC, SyscallError, unshare } from "#native";

const [dir, via] = process.argv.slice(2) as [string, "mount_setattr" | "remount" | undefined];
unshare(CLONE_NEWNS);
mount(null, "/", null, MS_REC | MS_PRIVATE);
const src = join(dir, "src");
const dst = join(dir, "dst");
mkdirSync(src);
mkdirSync(dst);
mount("tmpfs", src, "tmpfs", 0, "size=1m");
mkdirSync(join(src, "sub"));
mount("tmpfs", join(src, "sub"), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=1m");
mount(src, dst, null, MS_BIND | MS_REC);
makeReadOnlyRecursive(dst, via ? { via } : {});

function write(path: string): string {
  try {
    writeFileSync(path, "");
    return "written";
  } catch (error) {
    return (error as NodeJS.ErrnoException).code!;
  }
}

// A plain directory is not a mount point: refused either way, with a hint.
mkdirSync(join(dir, "plain"));
let notMountPoint: unknown;
try {
  makeReadOnlyRecursive(join(dir, "plain"), via ? { via } : {});
} catch (error) {
  if (!(error instanceof SyscallError)) throw error;
  notMountPoint = { call: error.call, code: error.code, hint: error.hint };
}

const options = Object.fromEntries(
  readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((line) => line.split(" "))
    .filter((fields) => fields[4]?.startsWith(dst))
    .map((fields) => [fields[4]!.slice(dir.length + 1), fields[5]]),
);
process.stdout.write(
  JSON.stringify({
    writes: { dst: write(join(dst, "a")), dstSub: write(join(dst, "sub/a")), src: write(join(src, "a")), srcSub: write(join(src, "sub/a")) },
    options,
    notMountPoint,
  }),
);
