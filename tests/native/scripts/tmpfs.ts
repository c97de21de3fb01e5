// Mounts a tmpfs in a new, private mount namespace, writes a file into it, and reports what it sees.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { CLONE_NEWNS, mount, MS_PRIVATE, MS_REC, unshare, umount2 } from "#native";

const [dir] = process.argv.slice(2) as [string];
unshare(CLONE_NEWNS);
mount(null, "/", null, MS_REC | MS_PRIVATE);
mount("tmpfs", dir, "tmpfs", 0, "size=1m");
writeFileSync(`${dir}/inside`, "only in here");
const mounted = readFileSync("/proc/self/mountinfo", "utf8").includes(` ${dir} `);
if (process.argv.includes("--umount")) umount2(dir);
process.stdout.write(JSON.stringify({ mounted, sawFile: existsSync(`${dir}/inside`) }));
