// Opens a mount target inside a root, then plays the attacker: swaps the checked directory for a
// symlink to the victim before the mount. The mount goes through the fd, so it lands where checked.
import { readdirSync, readFileSync, renameSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { close, CLONE_NEWNS, fdPath, mount, MS_PRIVATE, MS_REC, openInRoot, unshare } from "#native";

const [root, victim] = process.argv.slice(2) as [string, string];
unshare(CLONE_NEWNS);
mount(null, "/", null, MS_REC | MS_PRIVATE);
const fd = openInRoot(root, "/data", { mkdirs: true, create: "directory", expect: "directory" });
renameSync(join(root, "data"), join(root, "checked"));
symlinkSync(victim, join(root, "data"));
mount("tmpfs", fdPath(fd), "tmpfs", 0, "size=1m");
close(fd);
const mountedAt = readFileSync("/proc/self/mountinfo", "utf8")
  .split("\n")
  .map((line) => line.split(" ")[4] ?? "")
  .filter((point) => point.startsWith(`${dirname(root)}/`));
process.stdout.write(JSON.stringify({ mountedAt, victim: readdirSync(victim) }));
