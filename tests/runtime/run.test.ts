// `container run` end to end with the reference implementation: steps 1-3 and what a user sees.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SANDBOX_HOSTNAME } from "../../app/sandbox/sandbox.js";
import { Workspace } from "../helpers/container.js";
import { requireRoot } from "../helpers/requirements.js";

const ws = new Workspace();
beforeAll(() => ws.pull());
beforeEach((ctx) => requireRoot(ctx));
afterEach(() => expect(ws.leftovers()).toEqual([]));
afterAll(() => ws.cleanUp());

const run = (...args: string[]) => ws.run(["run", "--net", "none", ws.image, ...args]);

describe("container run", () => {
  it("runs the command as PID 1 of a new PID namespace, seeing only its own processes", async () => {
    // "; true" keeps sh from exec'ing ps in its place.
    const result = await run("sh", "-c", "echo pid=$$; ps -o pid,comm; true");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const [pidLine, header, ...processes] = result.stdout.trim().split("\n");
    expect(pidLine).toBe("pid=1");
    expect(header).toMatch(/PID\s+COMMAND/);
    expect(processes.map((l) => l.trim().split(/\s+/))).toEqual([
      ["1", "sh"],
      [expect.any(String), "ps"],
    ]);
  });

  it("gives the container its own hostname and leaves the host's alone", async () => {
    const inside = await ws.script(`$CONTAINER run --net none --hostname box1 ${ws.image} hostname; hostname`);
    expect(inside.stdout).toBe(`box1\n${SANDBOX_HOSTNAME}\n`);
    const byDefault = await run("cat", "/etc/hostname");
    expect(byDefault.stdout.trim()).toMatch(/^[0-9a-f]{12}$/);
  });

  it("roots the container in the image's filesystem, with /proc, /dev and a read-only /sys", async () => {
    const result = await run(
      "sh",
      "-c",
      "cat /etc/workshop-release; ls /; ls /dev; echo x > /dev/null && echo devnull-ok; touch /sys/x 2>/dev/null || echo sys-ro; head -c4 /dev/zero | wc -c",
    );
    expect(result.stderr).toBe("");
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("container-workshop test image (busybox)");
    expect(result.stdout).toMatch(/^bin$/m);
    for (const dev of ["null", "zero", "full", "random", "urandom", "tty", "pts", "shm", "ptmx"]) expect(result.stdout).toMatch(new RegExp(`^${dev}$`, "m"));
    expect(result.stdout).toContain("devnull-ok\nsys-ro\n4\n");
    // Nothing of the host's root is visible: /work (the repository) does not exist inside.
    const escape = await run("ls", "/work");
    expect(escape.status).not.toBe(0);
  });

  it("passes stdin and stdout through a pipe", async () => {
    const result = await ws.run(["run", "--net", "none", ws.image, "sh", "-c", "read a; read b; echo \"$b $a\""], { input: "world\nhello\n" });
    expect(result.stdout).toBe("hello world\n");
  });

  it.each([
    ["its own exit status", ["sh", "-c", "exit 42"], 42, ""],
    ["0 for success", ["true"], 0, ""],
    ["127 for a command not in the image", ["no-such-command"], 127, 'container: cannot run "no-such-command": no such file in the container'],
    ["126 for a file that is not executable", ["/etc/passwd"], 126, 'container: cannot run "/etc/passwd": it is not executable'],
  ])("exits with %s", async (_, command, status, message) => {
    const result = await run(...command);
    expect(result.status).toBe(status);
    if (message) expect(result.stderr.split("\n")[0]).toBe(message);
    else expect(result.stderr).toBe("");
  });

  it("applies the image's environment and the -e variables", async () => {
    const result = await ws.run(["run", "--net", "none", "-e", "GREETING=hi", ws.image, "sh", "-c", 'echo "$GREETING $PATH $HOSTNAME"']);
    expect(result.stdout).toMatch(/^hi \/usr\/local\/sbin:\/usr\/local\/bin:\/usr\/sbin:\/usr\/bin:\/sbin:\/bin [0-9a-f]{12}\n$/);
  });

  it("lists running containers with ps, and nothing once they exit", async () => {
    const result = await ws.script(`$CONTAINER run --net none --hostname listed ${ws.image} sleep 2 & sleep 1; $CONTAINER ps; wait; $CONTAINER ps`);
    const [header, row, after] = result.stdout.trim().split("\n");
    expect(header).toMatch(/^CONTAINER ID\s+IMAGE\s+COMMAND\s+PID\s+HOSTNAME\s+ADDRESS$/);
    expect(row).toMatch(/^[0-9a-f]{12}\s+\S+busybox:latest\s+"sleep 2"\s+\d+\s+listed\s+-$/);
    expect(after).toMatch(/^CONTAINER ID/);
  });

  it("stops the container when the CLI gets SIGTERM: forwarded, then SIGKILL after a grace period (PID 1 ignores it)", async () => {
    const child = ws.start(["run", "--net", "none", ws.image, "sleep", "30"]);
    const started = Date.now();
    setTimeout(() => child.kill("SIGTERM"), 1000);
    const status = await new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    expect(status).toBe(137);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("runs with pivot_root as well as chroot", async () => {
    const result = await ws.run(["run", "--net", "none", "--pivot-root", ws.image, "sh", "-c", "cat /etc/workshop-release; awk '$5 == \"/\"' /proc/self/mountinfo | wc -l"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("container-workshop test image (busybox)\n1\n");
  });
});
