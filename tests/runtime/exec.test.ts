// `container exec`, with the reference runtime, in a sandbox: what the exec'd command shares with
// the container (in both root modes), what it must not carry in from the host (fds, privileges the
// container lacks), a container that turns its working directory into a link to the host, and
// containers that have exited or are still starting.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CONFIG_IMAGES, ensureConfigImages } from "../../app/checks/check-image.js";
import { Workspace } from "../helpers/container.js";
import { requireRoot } from "../helpers/requirements.js";

const ws = new Workspace();
const work = mkdtempSync(join(tmpdir(), "exec-test-"));

beforeAll(async () => {
  await ws.pull();
  await ensureConfigImages(ws.root);
});
beforeEach((ctx) => requireRoot(ctx));
afterEach(() => expect(ws.leftovers()).toEqual([]));
afterAll(() => {
  ws.cleanUp();
  rmSync(work, { recursive: true, force: true });
});

/**
 * A shell prelude. `start ARGS...` runs `container run ARGS` in the background, its stdin a FIFO
 * held open until `stop`, waits until the container prints "ready", and sets $id from
 * `container ps`; `stop` closes the FIFO (the container's `read` returns) and prints how the run ended.
 */
const PRELUDE = `set -u
dir=$(mktemp -d)
start() {
  mkfifo "$dir/in"
  # The run opens its output only once the FIFO has a writer: made here, it is there to read at once.
  : >"$dir/out"
  $CONTAINER run "$@" <"$dir/in" >"$dir/out" 2>&1 &
  run=$!
  exec 3>"$dir/in"
  until grep -q '^ready$' "$dir/out"; do kill -0 $run 2>/dev/null || { cat "$dir/out" >&2; exit 1; }; sleep 0.05; done
  id=$($CONTAINER ps | awk 'NR == 2 { print $1 }')
}
stop() { exec 3>&-; wait $run; echo "run-status=$?"; rm -rf "$dir"; }
`;

/** The container's command for `start`: says ready, then waits for its stdin to close. */
const WAIT = `echo ready; read line || true`;

function lines(output: string): string[] {
  return output.trim().split("\n");
}

describe("container exec", () => {
  it.for([
    ["chroot", ""],
    ["--pivot-root", "--pivot-root"],
  ])("runs a command in a running container (%s): its hostname, processes, files, volume, cgroup, environment and working directory; its status comes back", async ([, mode]) => {
    const volume = mkdtempSync(join(work, "volume-"));
    writeFileSync(join(volume, "from-host"), "hello");
    const inspect = [
      'echo "hostname=$(hostname) pid1=$(cat /proc/1/comm) etc=$(cat /etc/hostname)"',
      'echo "volume=$(cat /data/from-host) env=$FROM_RUN cwd=$(pwd)"',
      'cmp -s /proc/self/cgroup /data/cgroup && echo "cgroup=same"',
      'for ns in uts ipc net pid mnt; do [ "$(readlink /proc/self/ns/$ns)" = "$(readlink /proc/1/ns/$ns)" ] || echo "not in its $ns namespace"; done',
    ].join("; ");
    const result = await ws.script(
      `${PRELUDE}
start --net none --hostname box -e FROM_RUN=yes -v ${volume}:/data ${mode} ${ws.image} sh -c 'cat /proc/self/cgroup > /data/cgroup; ${WAIT}'
$CONTAINER exec "$id" sh -c '${inspect}'
$CONTAINER exec "\${id%??????}" sh -c 'exit 3'; echo "exec-status=$?"
stop`,
    );
    expect(result.stderr).toBe("");
    expect(lines(result.stdout)).toEqual(["hostname=box pid1=sh etc=box", "volume=hello env=yes cwd=/", "cgroup=same", "exec-status=3", "run-status=0"]);
  });

  it("gives the exec'd command no fd but 0, 1 and 2, not even one container exec inherited, and no more privileges than the container's PID 1", async () => {
    const status = (pid: string) => `grep -E "^(CapBnd|CapEff|NoNewPrivs|Seccomp):" /proc/${pid}/status | tr -s "\\t\\n" "  "`;
    const result = await ws.script(
      `${PRELUDE}
start --net none ${ws.image} sh -c '${WAIT}'
# An fd the caller left open, not close-on-exec, and high, as Node passes those on (busybox sh: dash takes single digits only).
echo "fds: $(busybox sh -c 'exec 100>"$0/host-file"; exec $CONTAINER exec "$1" ls /proc/self/fd' "$dir" "$id" | tr '\\n' ' ')"
$CONTAINER exec "$id" sh -c 'echo "pid 1: $(${status("1")})"; echo "exec: $(${status("$$")})"'
stop`,
    );
    expect(result.stderr).toBe("");
    const [fds, pid1, exec] = lines(result.stdout);
    // 3 is ls's own, the directory it lists.
    expect(fds).toBe("fds: 0 1 2 3 ");
    expect(pid1).toMatch(/^pid 1: CapEff: 0+a80025fb CapBnd: 0+a80025fb NoNewPrivs: 1 Seccomp: 2 $/);
    expect(exec?.replace("exec:", "pid 1:")).toBe(pid1);
  });

  it("run, too, gives its command no fd but 0, 1 and 2, not even one container run inherited", async () => {
    const result = await ws.script(`busybox sh -c 'exec 100>/dev/null; exec $CONTAINER run --net none ${ws.image} ls /proc/self/fd' | tr '\\n' ' '`);
    expect(result.stdout).toBe("0 1 2 3 ");
  });

  it("keeps all of root's privileges in a --privileged container, as its PID 1 does", async () => {
    const result = await ws.script(
      `${PRELUDE}
start --net none --privileged ${ws.image} sh -c '${WAIT}'
$CONTAINER exec "$id" sh -c 'grep -E "^(CapBnd|NoNewPrivs|Seccomp):" /proc/1/status /proc/$$/status | sed "s/^[^:]*://" | sort | uniq -c | wc -l'
stop`,
    );
    // Each of the three fields the same in both processes.
    expect(lines(result.stdout)).toEqual(["3", "run-status=0"]);
  });

  it("a container whose working directory became a link to a host directory: exec stays in the container, the host directory is untouched, and the container goes on", async () => {
    const volume = mkdtempSync(join(work, "volume-"));
    const victim = mkdtempSync(join(work, "victim-"));
    const { ref, config } = CONFIG_IMAGES.execWorkdir;
    const result = await ws.script(
      `${PRELUDE}
start --net none -v ${volume}:/vol ${ref} sh -c 'cd / && rm -rf ${config.WorkingDir} && ln -s ${victim} ${config.WorkingDir} && ${WAIT}'
$CONTAINER exec "$id" touch planted; echo "exec-status=$?"
$CONTAINER exec "$id" true 2>/dev/null; echo "again=$?"
stop`,
    );
    expect(readdirSync(victim)).toEqual([]);
    expect(lines(result.stdout)).toEqual(["exec-status=125", "again=125", "run-status=0"]);
    expect(result.stderr).toMatch(/^container: enterContainerRoot\(\) failed: chdir\("\/vol\/work"\) failed: ENOENT/);
  });

  it("refuses a --userns container in one line, and the container goes on", async () => {
    const result = await ws.script(
      `${PRELUDE}
start --net none --userns ${ws.image} sh -c '${WAIT}'
$CONTAINER exec "$id" true 2>"$dir/refused"; echo "exec-status=$?"; sed "s/$id/ID/" "$dir/refused"
stop`,
    );
    expect(lines(result.stdout)).toEqual([
      "exec-status=125",
      "container: container ID runs with --userns, which container exec cannot join",
      "  joining a user namespace takes a process with one thread, and Node has several: run the command in the container's own shell, or start it without --userns",
      "run-status=0",
    ]);
  });

  it("says in one line that a container has exited, and waits for one still starting", async () => {
    const result = await ws.script(
      `${PRELUDE}
exited=$($CONTAINER run --net none ${ws.image} hostname)
$CONTAINER exec "$exited" true 2>"$dir/exited"; echo "exited-status=$?"; sed "s/$exited/ID/" "$dir/exited"
# As soon as ps lists it: its command may not have started yet.
mkfifo "$dir/in"; $CONTAINER run --net none ${ws.image} sh -c 'read line || true' <"$dir/in" & run=$!; exec 3>"$dir/in"
until starting=$($CONTAINER ps | awk 'NR == 2 { print $1 }'); [ -n "$starting" ]; do sleep 0.02; done
$CONTAINER exec "$starting" echo joined; echo "starting-status=$?"
stop`,
    );
    expect(result.stderr).toBe("");
    expect(lines(result.stdout)).toEqual([
      "exited-status=125",
      "container: no running container ID",
      "  `container ps` lists the running containers and their ids",
      "joined",
      "starting-status=0",
      "run-status=0",
    ]);
  });
});
