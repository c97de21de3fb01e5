import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { REPO } from "../../app/build/repo.mjs";
import { fixMachine, type FixIo } from "../../app/doctor/fix.js";
import { blockers, fixOffer, formatFindings, runDoctor, type Finding, type Probes } from "../../app/doctor/index.js";
import { collect } from "../helpers/container.js";
import { requireProgram, requireRoot } from "../helpers/requirements.js";

/** A machine with everything the course needs; each test takes one thing away. */
const healthy: Probes = {
  platform: "linux",
  uid: 0,
  nodeVersion: "20.11.1",
  kernel: "6.1.0-test",
  run: async () => ({ status: 0, stderr: "" }),
  which: (program) => `/usr/sbin/${program}`,
  offPath: () => undefined,
  cgroupRoot: () => ({ version: 2, path: "/sys/fs/cgroup", parent: "container-workshop" }),
  busybox: () => "/bin/busybox",
  registryReachable: async () => {
    throw new Error("the registry is only asked about without busybox");
  },
};

const find = (findings: Finding[], check: string) => findings.find((f) => f.check === check);

describe("workshop doctor", () => {
  it("finds nothing wrong on a machine that has it all", async () => {
    const findings = await runDoctor({ probes: healthy });
    expect(findings.map((f) => f.severity)).toEqual(Array(findings.length).fill("ok"));
    expect(findings.map((f) => f.check)).toEqual(["Linux", "root", "Node.js", "namespaces", "cgroups", "ip", "iptables", "image", "git"]);
    expect(formatFindings(findings)).toContain("Ready: this machine has what the workshop needs.");
    expect(fixOffer(findings)).toBeUndefined();
  });

  it("says how to become root, and does not try namespaces without it", async () => {
    let ran = false;
    const findings = await runDoctor({
      probes: {
        ...healthy,
        uid: 1000,
        run: async () => {
          ran = true;
          return { status: 1, stderr: "unshare: unshare failed: Operation not permitted" };
        },
      },
    });
    expect(find(findings, "root")).toEqual({ check: "root", severity: "fail", message: "not running as root", fix: "run: sudo npx workshop" });
    expect(find(findings, "namespaces")?.severity).toBe("skip");
    expect(ran).toBe(false);
    const text = formatFindings(findings);
    expect(text).toMatch(/^ {2}✗ root {8}not running as root — run: sudo npx workshop$/m);
    expect(text).toContain("1 problem blocks the workshop: fix it, then run `workshop doctor` again.");
  });

  it("reports a missing ip as blocking and a missing iptables as a warning, each with the package to install", async () => {
    const findings = await runDoctor({ probes: { ...healthy, which: (p) => (p === "ip" || p === "iptables" ? undefined : `/usr/sbin/${p}`) } });
    expect(find(findings, "ip")).toMatchObject({ severity: "fail", fix: "run: apt-get install iproute2", package: "iproute2" });
    expect(find(findings, "iptables")).toMatchObject({ severity: "warn", fix: "run: apt-get install iptables", package: "iptables" });
    expect(find(findings, "iptables")?.message).toContain("nft is, but step 6 drives iptables");
    expect(blockers(findings).map((f) => f.check)).toEqual(["ip"]);
    expect(fixOffer(findings)).toBe("To install what is missing: npx workshop doctor --fix");
  });

  it("names Fedora's packages where dnf is the package manager, and no package where there is none", async () => {
    const lacking = (missing: string[]) => (p: string) => (missing.includes(p) ? undefined : `/usr/bin/${p}`);
    const fedora = await runDoctor({ probes: { ...healthy, which: lacking(["apt-get", "ip", "iptables", "git"]), busybox: () => undefined, registryReachable: async () => true } });
    expect(fedora.filter((f) => f.fix).map((f) => [f.check, f.fix, f.package])).toEqual([
      ["ip", "run: dnf install iproute", "iproute"],
      ["iptables", "run: dnf install iptables-nft", "iptables-nft"],
      ["image", "to work offline, run: dnf install busybox", "busybox"],
      ["git", "run: dnf install git", "git"],
    ]);
    const neither = await runDoctor({ probes: { ...healthy, which: lacking(["apt-get", "dnf", "git"]) } });
    expect(find(neither, "git")).toEqual({
      check: "git",
      severity: "warn",
      message: "git is not installed (`workshop reset` restores exercises with it)",
      fix: "install git (Debian's name for it; there is no apt-get or dnf here)",
    });
    expect(fixOffer(neither)).toBeUndefined();
  });

  it("finds iptables in /usr/sbin when PATH lacks it (Debian's su without -), and says to fix PATH, not to install it", async () => {
    const findings = await runDoctor({
      probes: { ...healthy, which: (p) => (p === "iptables" ? undefined : `/usr/bin/${p}`), offPath: (p) => (p === "iptables" ? "/usr/sbin/iptables" : undefined) },
    });
    expect(find(findings, "iptables")).toEqual({
      check: "iptables",
      severity: "warn",
      message: "iptables is in /usr/sbin, which is not on PATH (step 6 sets up NAT with it)",
      fix: 'open the root shell with `su -` or `sudo -s`, or run: export PATH="$PATH:/usr/sbin"',
    });
    expect(fixOffer(findings)).toBeUndefined();
  });

  it("reports what the kernel said when it refuses namespaces", async () => {
    const findings = await runDoctor({ probes: { ...healthy, run: async () => ({ status: 1, stderr: "unshare: unshare failed: Operation not permitted\n" }) } });
    expect(find(findings, "namespaces")).toMatchObject({
      severity: "fail",
      message: "the kernel refused new namespaces (unshare: unshare failed: Operation not permitted)",
    });
    const missing = await runDoctor({ probes: { ...healthy, run: async () => ({ missing: true }) } });
    expect(find(missing, "namespaces")).toMatchObject({ severity: "fail", fix: "run: apt-get install util-linux", package: "util-linux" });
  });

  it("needs cgroups with the memory, cpu and pids controllers, v1 or v2", async () => {
    const none = await runDoctor({ probes: { ...healthy, cgroupRoot: () => undefined } });
    expect(find(none, "cgroups")?.severity).toBe("fail");
    const v1 = await runDoctor({
      probes: { ...healthy, cgroupRoot: () => ({ version: 1, controllers: { memory: "/m", cpu: "/c", pids: "/p" }, parent: "x" }) },
    });
    expect(find(v1, "cgroups")).toMatchObject({ severity: "ok", message: "cgroup v1 (memory, cpu, pids hierarchies)" });
  });

  it("needs an image for the checks: busybox, else a reachable registry", async () => {
    const online = await runDoctor({ probes: { ...healthy, busybox: () => undefined, registryReachable: async () => true } });
    expect(find(online, "image")).toMatchObject({ severity: "warn", fix: "to work offline, run: apt-get install busybox-static", package: "busybox-static" });
    const offline = await runDoctor({ probes: { ...healthy, busybox: () => undefined, registryReachable: async () => false } });
    expect(find(offline, "image")).toMatchObject({ severity: "fail", fix: "run: apt-get install busybox-static", package: "busybox-static" });
  });

  it("stops at the platform off Linux, and checks Node's version", async () => {
    const findings = await runDoctor({ probes: { ...healthy, platform: "darwin", nodeVersion: "18.19.0" } });
    expect(findings.map((f) => [f.check, f.severity])).toEqual([
      ["Linux", "fail"],
      ["Node.js", "fail"],
    ]);
    expect(formatFindings(findings)).toContain("2 problems block the workshop: fix them");
  });

  it("finds this machine ready for the course", async (ctx) => {
    requireRoot(ctx);
    const findings = await runDoctor();
    expect(blockers(findings)).toEqual([]);
    expect(find(findings, "namespaces")?.severity).toBe("ok");
  });
});

/**
 * A machine that lacks `lacks` until the package manager installs them. The package manager
 * is a recording fake, given to `fixMachine` in place of running commands: nothing is installed here.
 */
function machine({ lacks, managers = ["apt-get"], uid = 0, status = 0 }: { lacks: string[]; managers?: string[]; uid?: number; status?: number }) {
  const installed = new Set<string>();
  const has = (program: string) => !lacks.includes(program) || installed.has(program);
  const probes: Probes = {
    ...healthy,
    uid,
    which: (p) => ((["apt-get", "dnf"].includes(p) ? managers.includes(p) : has(p)) ? `/usr/bin/${p}` : undefined),
    run: async () => (has("unshare") ? { status: 0, stderr: "" } : { missing: true }),
    busybox: () => (has("busybox") ? "/bin/busybox" : undefined),
    registryReachable: async () => true,
  };
  const commands: string[][] = [];
  const prompts: string[] = [];
  let text = "";
  const out = new PassThrough().on("data", (d: Buffer) => (text += d.toString()));
  /** The terminal answers `answer`; no terminal when it is undefined. */
  const io = (answer?: string): FixIo => ({
    out,
    ask:
      answer === undefined
        ? undefined
        : async (question) => {
            prompts.push(question);
            return answer;
          },
    run: async (command) => {
      commands.push(command);
      if (command.includes("install")) lacks.forEach((p) => installed.add(p));
      return status;
    },
  });
  return { probes, io, commands, prompts, text: () => text };
}

describe("workshop doctor --fix", () => {
  it("shows the exact commands, asks, and on y installs with apt-get (its lists read first), then looks again", async () => {
    const m = machine({ lacks: ["iptables", "git"] });
    expect(await fixMachine({ probes: m.probes, yes: false }, m.io("y"))).toBe(0);
    expect(m.prompts).toEqual(["Run it? [y/N] "]);
    expect(m.commands).toEqual([
      ["apt-get", "update"],
      ["apt-get", "install", "-y", "iptables", "git"],
    ]);
    expect(m.text()).toContain("\nTo install what is missing, the workshop runs:\n  apt-get update && apt-get install -y iptables git\n");
    // The doctor looked again after the install, and found it all there.
    expect(m.text()).toMatch(/\nThe machine now:\n(.|\n)*\n {2}✓ git {9}\/usr\/bin\/git\n(.|\n)*\nReady: this machine has what the workshop needs\.\n$/);
  });

  it.each(["n", "", "no thanks"])("installs nothing when the answer is %j, and exits 1", async (answer) => {
    const m = machine({ lacks: ["git"] });
    expect(await fixMachine({ probes: m.probes, yes: false }, m.io(answer))).toBe(1);
    expect(m.prompts).toHaveLength(1);
    expect(m.commands).toEqual([]);
    expect(m.text()).toMatch(/apt-get install -y git\nNothing was installed\.\n$/);
  });

  it("without a terminal, prints the command and stops with a hint, and asks nothing", async () => {
    const m = machine({ lacks: ["git"] });
    await expect(fixMachine({ probes: m.probes, yes: false }, m.io())).rejects.toMatchObject({
      message: "nothing was installed: there is no terminal to ask on",
      hint: "run that yourself, or: npx workshop doctor --fix --yes",
      exitCode: 125,
    });
    expect(m.text()).toContain("  apt-get update && apt-get install -y git\n");
    expect(m.commands).toEqual([]);
  });

  it("with --yes installs without asking, terminal or not", async () => {
    for (const answer of [undefined, "n"]) {
      const m = machine({ lacks: ["busybox"] });
      expect(await fixMachine({ probes: m.probes, yes: true }, m.io(answer))).toBe(0);
      expect(m.prompts).toEqual([]);
      expect(m.commands).toEqual([
        ["apt-get", "update"],
        ["apt-get", "install", "-y", "busybox-static"],
      ]);
    }
  });

  it("says to run it as root, and runs nothing, when not root", async () => {
    const m = machine({ lacks: ["git"], uid: 1000 });
    await expect(fixMachine({ probes: m.probes, yes: true }, m.io("y"))).rejects.toMatchObject({
      message: "cannot run `apt-get update && apt-get install -y git`: installing packages needs root",
      hint: "run: sudo npx workshop doctor --fix",
    });
    expect(m.commands).toEqual([]);
    expect(m.prompts).toEqual([]);
  });

  it("installs Fedora's packages with dnf, without an update first", async () => {
    const m = machine({ lacks: ["unshare", "ip", "iptables", "busybox", "git"], managers: ["dnf"] });
    expect(await fixMachine({ probes: m.probes, yes: true }, m.io())).toBe(0);
    expect(m.commands).toEqual([["dnf", "install", "-y", "util-linux", "iproute", "iptables-nft", "busybox", "git"]]);
  });

  it("says plainly when there is no package manager it knows, and when there is nothing to install", async () => {
    const none = machine({ lacks: ["git"], managers: [] });
    await expect(fixMachine({ probes: none.probes, yes: true }, none.io())).rejects.toMatchObject({
      message: "cannot install anything: this machine has neither apt-get nor dnf",
    });
    expect(none.commands).toEqual([]);
    const ready = machine({ lacks: [] });
    expect(await fixMachine({ probes: ready.probes, yes: false }, ready.io("y"))).toBe(0);
    expect(ready.text()).toMatch(/Ready: this machine has what the workshop needs\.\n\nNothing to install\.\n$/);
    expect([ready.prompts, ready.commands]).toEqual([[], []]);
    // Not root is no package: nothing to install for it, and the exit status says it still blocks.
    const user = machine({ lacks: [], uid: 1000 });
    expect(await fixMachine({ probes: user.probes, yes: true }, user.io())).toBe(1);
    expect(user.text()).toMatch(/\nNothing to install: no package fixes what the lines above report\.\n$/);
  });

  it("stops at the first command that fails, and says so", async () => {
    const m = machine({ lacks: ["git"], status: 100 });
    await expect(fixMachine({ probes: m.probes, yes: true }, m.io())).rejects.toMatchObject({
      message: "`apt-get update` exited with 100: nothing more was installed",
      hint: "its output above says why; then run `npx workshop doctor --fix` again",
    });
    expect(m.commands).toEqual([["apt-get", "update"]]);
  });
});

describe("the workshop doctor command", () => {
  const temp: string[] = [];
  afterAll(() => temp.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const workshop = (path: string, ...args: string[]) =>
    collect(spawn(process.execPath, [join(REPO, "bin/workshop"), ...args], { env: { PATH: path, NO_COLOR: "1" } }), { timeout: 60_000 });
  /** The machine's own program, found on the tests' PATH. */
  const machines = (program: string) => {
    const found = (process.env.PATH ?? "").split(":").map((dir) => join(dir, program)).find((path) => existsSync(path));
    if (!found) throw new Error(`${program} is not on PATH`);
    return found;
  };

  it("doctor --fix installs with a fake apt-get first on PATH (it records its arguments and links git in), asking first unless --yes", { timeout: 90_000 }, async (ctx) => {
    requireRoot(ctx);
    const dir = mkdtempSync(join(tmpdir(), "workshop-doctor-fix-"));
    temp.push(dir);
    const [fake, programs, calls] = [join(dir, "fake"), join(dir, "programs"), join(dir, "calls")];
    mkdirSync(fake);
    mkdirSync(programs);
    // The programs the doctor looks for, git aside, and `true`, which its namespace probe runs.
    for (const program of ["ip", "iptables", "unshare", "true"]) symlinkSync(machines(program), join(programs, program));
    const git = machines("git");
    writeFileSync(join(fake, "apt-get"), `#!/bin/sh\necho "$@" >> ${calls}\nif [ "$1" = install ]; then /bin/ln -s ${git} ${programs}/git; fi\n`, { mode: 0o755 });
    const path = `${fake}:${programs}`;

    const doctor = await workshop(path, "doctor");
    expect(doctor).toMatchObject({ status: 0, stderr: "" });
    expect(doctor.stdout).toMatch(/\nReady: this machine has what the workshop needs\.\nTo install what is missing: npx workshop doctor --fix\n$/);

    // No terminal here: without --yes, the command is shown and nothing runs.
    const asked = await workshop(path, "doctor", "--fix");
    expect(asked.stdout).toContain(`git is not installed (\`workshop reset\` restores exercises with it) — run: apt-get install git\n`);
    expect(asked.stdout).toMatch(/\nTo install what is missing, the workshop runs:\n {2}apt-get update && apt-get install -y git\n$/);
    expect(asked).toMatchObject({ status: 125, stderr: "workshop: nothing was installed: there is no terminal to ask on\n  run that yourself, or: npx workshop doctor --fix --yes\n" });
    expect(existsSync(calls)).toBe(false);

    const fixed = await workshop(path, "doctor", "--fix", "--yes");
    expect(fixed.stderr).toBe("");
    expect(readFileSync(calls, "utf8")).toBe("update\ninstall -y git\n");
    expect(fixed.stdout).toContain(`\nThe machine now:\n`);
    expect(fixed.stdout).toContain(`  ✓ git         ${programs}/git\n`);
    expect(fixed.stdout).toMatch(/\nReady: this machine has what the workshop needs\.\n$/);
    expect(fixed.status).toBe(0);
  });

  it("doctor finds iptables in /usr/sbin when PATH lacks it (Debian's su without -)", { timeout: 60_000 }, async (ctx) => {
    requireProgram(ctx, "iptables", "iptables");
    const result = await workshop("/usr/local/bin:/usr/bin:/bin", "doctor");
    expect(result.stdout).toContain(
      '  ! iptables    iptables is in /usr/sbin, which is not on PATH (step 6 sets up NAT with it) — open the root shell with `su -` or `sudo -s`, or run: export PATH="$PATH:/usr/sbin"\n',
    );
  });

  it("says --yes goes with --fix, and exits 2", { timeout: 60_000 }, async () => {
    const result = await workshop(process.env.PATH ?? "", "doctor", "--yes");
    expect(result).toMatchObject({ status: 2, stdout: "", stderr: "workshop: --yes goes with --fix\n  usage: workshop doctor --fix --yes\n" });
  });
});
