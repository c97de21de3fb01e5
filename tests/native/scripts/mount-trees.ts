// A detached copy of a directory attached elsewhere (by path, and by a directory's fd), then an
// idmapped one through a user namespace mapping 0 to 100000: reports what each shows, in a new,
// private mount namespace of this process.
import { spawn } from "node:child_process";
import { openSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { AT_FDCWD, AT_RECURSIVE, CLONE_NEWNS, MOUNT_ATTR_IDMAP, mount, mountSetattr, moveMount, MS_PRIVATE, MS_REC, O_PATH, openat, OPEN_TREE_CLONE, openTree, unshare } from "#native";

const [source, byPath, byFd] = process.argv.slice(2) as [string, string, string];
unshare(CLONE_NEWNS);
mount(null, "/", null, MS_REC | MS_PRIVATE);
moveMount(openTree(source, OPEN_TREE_CLONE), byPath);

// A user namespace to take the idmapping from: unshare(1) holds it while we use it.
const holder = spawn("unshare", ["--user", "--", "sh", "-c", "echo; exec cat"], { stdio: ["pipe", "pipe", "inherit"] });
await new Promise((resolve) => holder.stdout!.once("data", resolve));
writeFileSync(`/proc/${holder.pid}/uid_map`, "0 100000 65536\n");
writeFileSync(`/proc/${holder.pid}/gid_map`, "0 100000 65536\n");
const tree = openTree(source, OPEN_TREE_CLONE | AT_RECURSIVE);
mountSetattr(tree, { set: MOUNT_ATTR_IDMAP, usernsFd: openSync(`/proc/${holder.pid}/ns/user`, "r") }, AT_RECURSIVE);
moveMount(tree, openat(AT_FDCWD, byFd, O_PATH));
holder.kill();

const owner = (path: string) => `${statSync(path).uid}:${statSync(path).gid}`;
const idmapped = readFileSync("/proc/self/mountinfo", "utf8").split("\n").filter((line) => /[ ,]idmapped[ ,]/.test(line)).length;
process.stdout.write(JSON.stringify({ byPath: readdirSync(byPath), byFd: readdirSync(byFd), owners: [owner(`${source}/file`), owner(`${byPath}/file`), owner(`${byFd}/file`)], idmapped }));
