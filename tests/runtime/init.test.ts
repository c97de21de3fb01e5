// `container run --init` end to end with the reference implementation: the init process stays
// PID 1 with the command as its child, confined as the command would be without it.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Workspace } from "../helpers/container.js";
import { requireRoot } from "../helpers/requirements.js";

const ws = new Workspace();
beforeAll(() => ws.pull());
beforeEach((ctx) => requireRoot(ctx));
afterEach(() => expect(ws.leftovers()).toEqual([]));
afterAll(() => ws.cleanUp());

const STATUS = "grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp|SigIgn):' /proc/self/status";

describe("container run --init", () => {
  it("confines the command as it would without --init (the privileges step), and starts it with no signal ignored", async () => {
    const [plain, init] = await Promise.all([
      ws.run(["run", "--net", "none", ws.image, "sh", "-c", `${STATUS}; true`]),
      ws.run(["run", "--init", "--net", "none", ws.image, "sh", "-c", `${STATUS}; echo "pid=$$ ppid=$PPID"`]),
    ]);
    expect(init.stderr).toBe("");
    expect(init.status).toBe(0);
    const [status, pids] = [init.stdout.slice(0, plain.stdout.length), init.stdout.slice(plain.stdout.length)];
    expect(status).toBe(plain.stdout);
    expect(status).toMatch(/^SigIgn:\t0+\nCapEff:\t0+a80025fb\nCapBnd:\t0+a80025fb\nNoNewPrivs:\t1\nSeccomp:\t2\n$/);
    // Not PID 1 (the init process is), and the init process's child.
    expect(pids).toMatch(/^pid=([2-9]|\d\d+) ppid=1\n$/);
  });

  it("keeps the init process's /proc files from the command: its fds (the host's events file, under --userns the image's host directory) stay out of reach, and the command still runs", async () => {
    // Listing /proc/1/fd is allowed to root; following one of its fds is what reaches the host.
    const look = 'for f in /proc/1/fd/*; do readlink "$f" > /dev/null 2>&1 && { echo "an fd open"; break; }; done; readlink /proc/1/exe > /dev/null 2>&1 && echo "exe open"; echo ran';
    const results = await Promise.all([
      ws.run(["run", "--init", "--net", "none", ws.image, "sh", "-c", look]),
      ws.run(["run", "--init", "--userns", "--net", "none", ws.image, "sh", "-c", look]),
    ]);
    expect(results.map((r) => r.stderr + r.stdout)).toEqual(["ran\n", "ran\n"]);
  });

  it("reaps every orphan, however many end at once (one SIGCHLD may stand for several)", async () => {
    // 40 orphans that end together; then the command waits until none of them is left, or 10 s.
    const script = [
      "for i in $(seq 40); do (sleep 0.3 &); done",
      "i=0; while ps -o stat | grep -q '^Z' || [ $(ps -o comm | grep -c '^sleep') -gt 0 ]; do [ $i -ge 200 ] && break; sleep 0.05; i=$((i + 1)); done",
      "ps -o stat,comm | grep -c '^Z' || true",
    ].join("\n");
    const result = await ws.run(["run", "--init", "--net", "none", ws.image, "sh", "-c", script]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("0\n");
  });

  it("passes a SIGINT to container run (Ctrl-C) on to the command, and ends with its status (130)", async () => {
    const child = ws.start(["run", "--init", "--net", "none", ws.image, "sh", "-c", "trap 'echo interrupted; exit 130' INT; echo ready; while :; do sleep 0.1; done"]);
    let stdout = "";
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout?.setEncoding("utf8").on("data", (d: string) => {
        stdout += d;
        if (stdout.includes("ready")) resolve();
      });
      child.once("close", () => reject(new Error(`the run ended before it was ready: ${stdout}`)));
    });
    await ready;
    child.kill("SIGINT");
    const status = await new Promise((resolve) => child.once("close", resolve));
    expect(status).toBe(130);
    expect(stdout).toBe("ready\ninterrupted\n");
  });

  it("gives SIGUSR1 to the command, not to Node's debugger: nothing listens in the container after it", async () => {
    // Waits for the signal (up to 10 s), then gives a debugger half a second to start listening.
    const script = [
      "trap 'got=1' USR1; kill -USR1 1",
      'i=0; until [ -n "$got" ] || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done',
      '[ -n "$got" ] && echo got-usr1; sleep 0.5',
      "awk 'NR > 1 && $4 == \"0A\"' /proc/net/tcp /proc/net/tcp6 | wc -l",
    ].join("\n");
    const result = await ws.run(["run", "--init", "--net", "none", ws.image, "sh", "-c", script]);
    expect(result.stdout).toBe("got-usr1\n0\n");
  });

  it.each([
    ["not found", 127, ["no-such-command"], 'container: cannot run "no-such-command": no such file in the container'],
    ["not executable", 126, ["/etc/passwd"], 'container: cannot run "/etc/passwd": it is not executable'],
  ])("a command %s gives %i and one line, as without --init", async (_, status, command, line) => {
    const result = await ws.run(["run", "--init", "--net", "none", ws.image, ...command]);
    expect(result.status).toBe(status);
    expect(result.stderr.split("\n")[0]).toBe(line);
  });
});
