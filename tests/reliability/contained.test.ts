// A container that misbehaves on purpose — a fork bomb, a runaway allocation — stays inside its
// limits, the host stays responsive meanwhile, and the user is told what happened.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { findCgroupRoot } from "../../app/runtime/cgroup-root.js";
import { eventually, Workspace } from "../helpers/container.js";
import { requireRoot } from "../helpers/requirements.js";

const ws = new Workspace();
beforeAll(() => ws.pull());
beforeEach((ctx) => requireRoot(ctx));
afterEach(() => expect(ws.leftovers()).toEqual([]));
afterAll(() => ws.cleanUp());

/**
 * Watches the host while `during` runs: how late this process's own 20 ms timer fired at worst,
 * and how long a host command (fork + exec + exit) took at worst.
 */
async function hostResponsiveness(during: Promise<unknown>): Promise<{ timerLateMs: number; commandMs: number }> {
  const interval = 20;
  let timerLateMs = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    timerLateMs = Math.max(timerLateMs, now - last - interval);
    last = now;
  }, interval);
  let commandMs = 0;
  let finished = false;
  void during.finally(() => (finished = true));
  while (!finished) {
    const started = performance.now();
    spawnSync("/bin/true");
    commandMs = Math.max(commandMs, performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  clearInterval(timer);
  return { timerLateMs, commandMs };
}

/** The value of one file in the running container's pids cgroup, once there is one. */
function pidsFile(file: string): string | undefined {
  const root = findCgroupRoot(ws.cgroupParent);
  const dir = ws.cgroupDirs().find((d) => root?.version === 2 || d.startsWith(root?.version === 1 ? root.controllers.pids : "-"));
  try {
    return dir ? readFileSync(join(dir, file), "utf8").trim() : undefined;
  } catch {
    return undefined;
  }
}

describe("a misbehaving container", () => {
  it("signals only its own processes with kill(0): the processes around container run live on, and so does the container", async () => {
    // setsid -w: the script's processes in a process group of their own, as a job in a shell is
    // (the sandbox's would be this test's). Before the fix, kill(0) in the container reached them.
    const result = await ws.script(
      `setsid -w sh -c 'sleep 60 & sentinel=$!
      $CONTAINER run --net none ${ws.image} sh -c "kill -HUP 0; kill -TERM 0; echo still here"
      echo "container run exited $?"
      kill -0 $sentinel && echo "the sleep beside it lives"
      kill $sentinel'`,
    );
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("still here\ncontainer run exited 0\nthe sleep beside it lives\n");
    expect(result.status).toBe(0);
  });

  it("keeps a fork bomb to --pids 20 while the host stays responsive, and says forks were refused", async () => {
    // Every copy of the bomb forks two more, then spins on the CPU. A copy whose fork is refused
    // dies (ash exits on a failed fork), so the bomb fills the limit with spinning copies. PID 1
    // ends the container when its timer is up; the bomb's "can't fork" errors are silenced.
    // Seven generations (127 copies) are far past the limit, yet bounded should the limit fail.
    const bomb = "b() { if [ $1 -gt 0 ]; then b $(($1 - 1)) & b $(($1 - 1)) & fi; while :; do :; done; }; b 6";
    const done = ws.run(["run", "--net", "none", "--pids", "20", ws.image, "sh", "-c", `sleep 3 & s=$!; (${bomb}) 2>/dev/null & echo armed; wait $s; echo contained`]);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, Number(pidsFile("pids.current") ?? 0))), 10);
    await eventually(() => (peak >= 15 ? true : undefined));
    const { timerLateMs, commandMs } = await hostResponsiveness(done);
    clearInterval(sampler);
    const result = await done;
    expect(result.stdout).toBe("armed\ncontained\n");
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^container: the kernel refused \d+ forks: the container reached its limit of 20 processes \(--pids\)\n$/);
    expect(peak).toBeLessThanOrEqual(20);
    expect(timerLateMs).toBeLessThan(1_000);
    expect(commandMs).toBeLessThan(2_000);
  });

  it("stops a runaway allocation at --memory 32M: exit 137 and the OOM message, host responsive", async () => {
    const done = ws.run(["run", "--net", "none", "--memory", "32M", ws.image, "sh", "-c", "x=x; while :; do x=$x$x; done"]);
    const { timerLateMs, commandMs } = await hostResponsiveness(done);
    const result = await done;
    expect(result.status).toBe(137);
    expect(result.stderr).toBe("container: killed by the kernel's OOM killer: the container reached its memory limit of 32M (--memory)\n");
    expect(timerLateMs).toBeLessThan(1_000);
    expect(commandMs).toBeLessThan(2_000);
  });
});
