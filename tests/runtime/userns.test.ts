// The userns bonus step end to end, with the reference runtime: root in the container is a range
// of ids on the host, the image's files are root's inside (idmapped, or copied where idmapping is
// refused), volumes keep working, and a chroot escape writes none of the host root's files. Each
// victim lies in this test's temporary directory; ranges, copies and holders go with the run.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ID_RANGES } from "../../app/runtime/id-ranges.js";
import { Workspace } from "../helpers/container.js";
import { mutant } from "../helpers/implementations.js";
import { requireRoot } from "../helpers/requirements.js";

const ws = new Workspace();
const work = mkdtempSync(join(tmpdir(), "userns-test-"));
let data: string;
beforeAll(() => ws.pull());
beforeEach((ctx) => {
  requireRoot(ctx);
  data = mkdtempSync(join(work, "data-"));
  // Reachable by the container's root, which is nobody special on the host.
  chmodSync(work, 0o755);
  chmodSync(data, 0o755);
});
afterEach(() => {
  expect(ws.leftovers()).toEqual([]);
  expect(readdirSync(join(ws.root, "run", "userns")).filter((name) => !name.startsWith(".")), "id ranges still taken").toEqual([]);
  expect(readdirSync(join(ws.root, "containers")), "containers' state (and copies of the image)").toEqual([]);
});
afterAll(() => {
  ws.cleanUp();
  rmSync(work, { recursive: true, force: true });
});

const inRange = (id: number) => id >= ID_RANGES.first && id < ID_RANGES.first + ID_RANGES.size * ID_RANGES.count;
const hostRootOf = (uidMap: string) => Number(uidMap.trim().split(/\s+/)[1]);

describe("container run --userns", () => {
  it("root inside is uid 0 there and a range of unprivileged ids on the host; the image's files are root's, without a copy", async () => {
    const result = await ws.run(["run", "--net", "none", "--userns", ws.image, "sh", "-c", "id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map; stat -c %u:%g /bin/busybox; echo $$; hostname"]);
    expect(result.stderr).toBe("");
    const [uid, gid, uidMap, gidMap, owner, pid, hostname] = result.stdout.trim().split("\n");
    expect([uid, gid, owner, pid]).toEqual(["0", "0", "0:0", "1"]);
    const [inside, host, size] = uidMap!.trim().split(/\s+/).map(Number);
    expect([inside, size]).toEqual([0, ID_RANGES.size]);
    expect(inRange(host!)).toBe(true);
    expect(gidMap!.trim().split(/\s+/).map(Number)).toEqual([0, host, size]);
    expect(hostname).toMatch(/^[0-9a-f]{12}$/);
  });

  it("the command's process on the host runs as the range's root, not as root", async () => {
    // A sleep with an argument of its own, so that pgrep finds it and not this script.
    const result = await ws.script(`$CONTAINER run --net none --userns ${ws.image} sh -c 'cat /proc/self/uid_map; exec sleep 3000.5' & pid=$!
      until child=$(pgrep -x -f 'sleep 3000.5'); do sleep 0.05; done
      awk '/^Uid:/ { print $2 }' /proc/$child/status; kill -KILL $child; wait $pid; echo "status=$?"`);
    const [uidMap, hostUid, status] = result.stdout.trim().split("\n");
    expect(Number(hostUid)).toBe(hostRootOf(uidMap!));
    expect(Number(hostUid)).not.toBe(0);
    expect(status).toBe("status=137");
  });

  it("volumes keep working, single files and :ro too: a host file reads inside, a file written there is the range's, and root's files on the host stay read-only", async () => {
    writeFileSync(join(data, "from-host"), "hello from the host\n");
    const open = mkdtempSync(join(work, "open-"));
    chmodSync(open, 0o777);
    const script = "cat /proc/self/uid_map; cat /data/from-host; echo written > /open/from-container; echo overwritten > /data/from-host 2>/dev/null; echo status=$?; touch /data/new 2>/dev/null; echo status=$?; cat /etc/motd; touch /etc/motd 2>/dev/null; echo status=$?";
    const result = await ws.run(["run", "--net", "none", "--userns", "-v", `${data}:/data`, "-v", `${open}:/open`, "-v", `${join(data, "from-host")}:/etc/motd:ro`, ws.image, "sh", "-c", script]);
    const [uidMap, ...rest] = result.stdout.trim().split("\n");
    expect(rest).toEqual(["hello from the host", "status=1", "status=1", "hello from the host", "status=1"]);
    expect(readFileSync(join(open, "from-container"), "utf8")).toBe("written\n");
    expect(statSync(join(open, "from-container")).uid).toBe(hostRootOf(uidMap!));
    expect(readFileSync(join(data, "from-host"), "utf8")).toBe("hello from the host\n");
    expect(existsSync(join(data, "new"))).toBe(false);
  });

  it("the chroot escape, which reaches the host as its root with --privileged alone, cannot even climb out with --userns (the store is root's alone), and writes nothing", async () => {
    const victim = join(data, "victim");
    writeFileSync(victim, "untouched\n", { mode: 0o644 });
    const up = Array.from({ length: 24 }, () => "..").join("/");
    // The jail on a tmpfs of the container's own, so that it does not land in the image's files.
    const jail = "mount -t tmpfs jail /tmp && mkdir -p /tmp/x/bin /tmp/x/proc && cp /bin/busybox /tmp/x/bin/ && mount -t proc proc /tmp/x/proc";
    // (The jail has no /dev: its complaints go to stderr as they are.)
    const escape = `${jail} && exec 3</ && chroot /tmp/x /bin/busybox sh -c 'cd /proc/self/fd/3 && cd -P ${up}; echo climb=$?; echo pwned > .${victim}; echo write=$?; touch .${data}/new; echo create=$?'; echo status=$?`;
    const userns = await ws.run(["run", "--net", "none", "--userns", "--privileged", ws.image, "sh", "-c", escape]);
    expect(userns.stdout).toBe("climb=2\nwrite=1\ncreate=1\nstatus=0\n");
    expect(userns.stderr).toMatch(/can't cd to .*: Permission denied/);
    expect(readFileSync(victim, "utf8")).toBe("untouched\n");
    expect(readdirSync(data)).toEqual(["victim"]);
    // The control: without --userns, the same escape reaches the host as its root.
    const control = await ws.run(["run", "--net", "none", "--privileged", ws.image, "sh", "-c", escape.replace(`echo pwned > .${victim}`, `echo pwned > .${data}/control`)]);
    expect(control.stdout, control.stderr).toBe("climb=0\nwrite=0\ncreate=0\nstatus=0\n");
    expect(readFileSync(join(data, "control"), "utf8")).toBe("pwned\n");
    rmSync(join(data, "control"));
    rmSync(join(data, "new"));
  });

  it("where the file system cannot idmap, runs on a copy owned by the range (said once), and removes it after", async () => {
    // The kernel's own refusal: MOUNT_ATTR_IDMAP on a mount that is attached, not a detached copy.
    const impl = mutant(work, "userns.ts", [["mountSetattr(tree, { set: MOUNT_ATTR_IDMAP, usernsFd }, AT_RECURSIVE);", 'mountSetattr("/", { set: MOUNT_ATTR_IDMAP, usernsFd }, AT_RECURSIVE);']]);
    const result = await ws.run(["run", "--net", "none", "--userns", ws.image, "sh", "-c", "stat -c %u:%g /bin/busybox; touch /made && stat -c %u /made"], { impl });
    expect(result.stderr).toMatch(/^container: the file system of \S+ cannot be idmapped here \(mount_setattr: EINVAL\): running on a copy owned by the container's root, made for this run\n$/);
    expect(result.stdout).toBe("0:0\n0\n");
  });

  it("two containers at once get ranges of their own, given back when they end", async () => {
    chmodSync(data, 0o777);
    const wait = (file: string) => `until [ -e /data/${file} ]; do sleep 0.05; done`;
    const run = (me: string, other: string) => ws.run(["run", "--net", "none", "--userns", "-v", `${data}:/data`, ws.image, "sh", "-c", `cat /proc/self/uid_map; touch /data/${me}; ${wait(other)}`]);
    const [first, second] = await Promise.all([run("first", "second"), run("second", "first")]);
    expect(first.status).toBe(0);
    expect(second.status).toBe(0);
    expect(hostRootOf(first.stdout)).not.toBe(hostRootOf(second.stdout));
  });
  it("--trace records the calls of the container's processes too, which may not open the file themselves", async () => {
    const trace = join(work, "trace.jsonl");
    const result = await ws.run(["--trace", trace, "run", "--net", "none", "--userns", ws.image, "true"]);
    expect(result.stderr).toBe("");
    const calls = readFileSync(trace, "utf8").trim().split("\n").map((line) => (JSON.parse(line) as { call: string }).call);
    expect(calls).toEqual(expect.arrayContaining(["open_tree", "mount_setattr", "unshare", "move_mount", "chroot", "execve"]));
    rmSync(trace);
  });

  it("a container run killed outright takes its container and holder along; the next prune gives the range back", async () => {
    const result = await ws.script(`$CONTAINER run --net none --userns ${ws.image} sh -c 'exec sleep 3000.7' & cli=$!
      until pgrep -x -f 'sleep 3000.7' >/dev/null; do sleep 0.05; done
      kill -KILL $cli; wait $cli
      while pgrep -x -f 'sleep 3000.7' >/dev/null; do sleep 0.05; done
      ls ${join(ws.root, "run", "userns")} | grep -c . ; $CONTAINER prune`);
    expect(result.stdout.split("\n")[0]).toBe("1");
  });
  it("the host side is still the host root's: the cgroup holds --pids, and the veth moved in by the runtime reaches the gateway", async () => {
    // The shell forks until the kernel refuses, printing (with a builtin) how many it started.
    const limited = await ws.run(["run", "--net", "none", "--userns", "--pids", "12", ws.image, "sh", "-c", "for i in $(seq 30); do sleep 2 & echo $i; done"]);
    expect(limited.stderr).toMatch(/can't fork: Resource temporarily unavailable/);
    expect(Number(limited.stdout.trim().split("\n").at(-1))).toBeLessThan(12);
    const bridged = await ws.run(["run", "--userns", ws.image, "sh", "-c", "ip -o -4 addr show eth0 | wc -l; ping -c 1 -W 2 10.229.0.1 >/dev/null && echo ping-ok"]);
    expect(bridged.stderr).toBe("");
    expect(bridged.stdout).toBe("1\nping-ok\n");
  });

  it("changes root with pivot_root too: every mount at / is idmapped, and nothing of the host is left reachable", async () => {
    const result = await ws.run(["run", "--net", "none", "--userns", "--pivot-root", ws.image, "sh", "-c", `id -u; stat -c %u /bin/busybox; [ -e '${ws.root}' ] && echo host-files; awk '$5 == "/"' /proc/self/mountinfo | grep -vc idmapped`]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("0\n0\n0\n");
  });
  it("SIGTERM to container run reaches the command through the stage, and its exit status comes back", async () => {
    chmodSync(data, 0o777);
    // The command says it is up (its trap set) with a file in a volume.
    const result = await ws.script(`$CONTAINER run --net none --userns -v ${data}:/data ${ws.image} sh -c 'trap "exit 7" TERM; touch /data/up; while :; do sleep 0.05; done' & cli=$!
      until [ -e ${data}/up ]; do sleep 0.05; done
      kill -TERM $cli; wait $cli; echo "status=$?"`);
    expect(result.stdout).toBe("status=7\n");
  });
});
