// Many containers: eight started at the same moment on the bridge, and a hundred one after the
// other. Each must get what is its own, and nothing may pile up: not on the host, not in the
// store, not in the CLI.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { REPO } from "../../app/build/repo.mjs";
import { eventually, Workspace } from "../helpers/container.js";
import { requireProgram, requireRoot } from "../helpers/requirements.js";
import { storeSummary } from "../image/support.js";
import { SandboxShell } from "./sandbox-shell.js";

const ws = new Workspace();
let scratch: string;
beforeAll(() => ws.pull());
beforeEach((ctx) => {
  requireRoot(ctx);
  scratch = mkdtempSync(join(tmpdir(), "workshop-load-"));
});
afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
  expect(ws.leftovers()).toEqual([]);
});
afterAll(() => ws.cleanUp());

describe("eight containers started at once on the bridge", () => {
  it("all run, each with its own cgroup, hostname, address and state dir; then all is gone", { timeout: 60_000 }, async (ctx) => {
    requireProgram(ctx, "ip", "iproute2");
    requireProgram(ctx, "iptables", "iptables");
    // A fresh copy of the implementation, as right after the learner saved a file: all eight
    // CLIs find its bundle missing and build it side by side.
    const impl = join(scratch, "impl");
    cpSync(join(REPO, "solutions"), impl, { recursive: true });
    const sh = new SandboxShell(ws, { WORKSHOP_IMPL: impl });
    try {
      // Each container reports what it was given into a shared volume, then waits for "go":
      // so all eight are up at the same time when the host side is looked at.
      const report = "h=$(hostname); { grep pids /proc/self/cgroup; ip -o -4 addr show eth0; } >/sync/$h.tmp && mv /sync/$h.tmp /sync/$h.info; while [ ! -e /sync/go ]; do sleep 0.1; done";
      await sh.run(
        `pids=; for i in 1 2 3 4 5 6 7 8; do $CONTAINER run -v ${scratch}:/sync ${ws.image} sh -c '${report}' >${scratch}/out.$i 2>&1 & pids="$pids $!"; done`,
      );
      const infos = await eventually(() => {
        // A run says nothing unless it fails: no need to wait for the others then.
        const said = readdirSync(scratch).filter((n) => n.startsWith("out.") && readFileSync(join(scratch, n), "utf8"));
        if (said.length) throw new Error(said.map((n) => `${n}: ${readFileSync(join(scratch, n), "utf8")}`).join("\n"));
        const names = readdirSync(scratch).filter((n) => n.endsWith(".info"));
        return names.length === 8 ? names : undefined;
      }, 40_000);

      const containers = infos.map((name) => {
        const text = readFileSync(join(scratch, name), "utf8");
        return {
          hostname: name.replace(/\.info$/, ""),
          cgroup: /^\d+:pids:(\S+)$/m.exec(text)?.[1],
          address: /inet (\d+\.\d+\.\d+\.\d+)\/24/.exec(text)?.[1],
        };
      });
      const distinct = (values: (string | undefined)[]) => new Set(values.filter(Boolean)).size;
      expect(distinct(containers.map((c) => c.hostname))).toBe(8);
      expect(distinct(containers.map((c) => c.cgroup))).toBe(8);
      expect(distinct(containers.map((c) => c.address))).toBe(8);
      for (const { hostname, cgroup, address } of containers) {
        // The default hostname is the container's id: its cgroup, state dir and address file carry it.
        expect(cgroup).toBe(`/${ws.cgroupParent}/${hostname}`);
        expect(existsSync(join(ws.root, "containers", hostname, "state.json"))).toBe(true);
        const owner = JSON.parse(readFileSync(join(ws.root, "run", "cw0", "addresses", address!), "utf8")) as { container: string };
        expect(owner.container).toBe(join(ws.root, "containers", hostname));
      }
      expect(await sh.veths()).toHaveLength(8);

      writeFileSync(join(scratch, "go"), "");
      const statuses = await sh.run('for pid in $pids; do wait "$pid"; echo $?; done', 30_000);
      expect(statuses.split("\n")).toEqual(Array(8).fill("0"));
      for (let i = 1; i <= 8; i++) expect(readFileSync(join(scratch, `out.${i}`), "utf8")).toBe("");
      expect(await sh.veths()).toEqual([]);
    } finally {
      await sh.close();
    }
  });
});

describe("a hundred containers one after the other", () => {
  it("leave no state, cgroups or store files behind, and the CLI does not grow", { timeout: 90_000 }, async () => {
    const runs = 100;
    const measured = [1, 50, 100];
    // For a measured run the container waits on its stdin (a FIFO) while the CLI's peak RSS
    // (VmHWM) and open fds are read from /proc; the others run `true`. After each run, count
    // what is left: state dirs, address files and the containers' cgroup dirs (pids controller).
    const script = `
      fifo=${scratch}/stdin out=${scratch}/out
      mkfifo "$fifo"
      pids_parent=$(awk '$3 == "cgroup" && $4 ~ /pids/ {print $2}' /proc/self/mounts | head -1)/$CONTAINER_CGROUP_PARENT
      i=1
      while [ $i -le ${runs} ]; do
        case " ${measured.join(" ")} " in
          *" $i "*)
            $CONTAINER run --net none ${ws.image} sh -c 'echo up; read line' <"$fifo" >"$out" 2>&1 &
            cli=$!
            exec 3>"$fifo"
            until grep -q up "$out"; do sleep 0.02; done
            echo "measure $i $(awk '/^VmHWM/ {print $2}' /proc/$cli/status) $(ls /proc/$cli/fd | wc -l)"
            echo >&3; exec 3>&-
            wait $cli || echo "failed $i"
            ;;
          *) $CONTAINER run --net none ${ws.image} true || echo "failed $i" ;;
        esac
        echo "left $i $(ls $CONTAINER_ROOT/containers | wc -l) $(find $CONTAINER_RUN_DIR -type f 2>/dev/null | wc -l) $(ls -d "$pids_parent"/*/ 2>/dev/null | wc -l)"
        i=$((i + 1))
      done`;
    const result = await ws.script(script, { timeout: 85_000 });
    expect(result.stderr).toBe("");
    expect(result.stdout).not.toMatch(/^failed/m);

    const left = [...result.stdout.matchAll(/^left (\d+) (\d+) (\d+) (\d+)$/gm)];
    expect(left).toHaveLength(runs);
    expect(left.filter(([, , states, addresses, cgroups]) => states !== "0" || addresses !== "0" || cgroups !== "0")).toEqual([]);
    expect(storeSummary(ws.root).tmp).toEqual([]);

    const measures = [...result.stdout.matchAll(/^measure (\d+) (\d+) (\d+)$/gm)].map(([, run, hwmKb, fds]) => ({ run: Number(run), hwmKb: Number(hwmKb), fds: Number(fds) }));
    expect(measures.map((m) => m.run)).toEqual(measured);
    const [first, , last] = measures;
    // Node's heap varies a little from run to run with the garbage collector's timing.
    expect(last!.hwmKb).toBeLessThanOrEqual(first!.hwmKb * 1.1);
    expect(last!.fds).toBeLessThanOrEqual(first!.fds + 1);
  });
});
