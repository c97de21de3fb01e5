import { describe, expect, it } from "vitest";
import { blockers, fixOffer, formatFindings, runDoctor, type Finding, type Probes } from "../../app/doctor/index.js";
import { requireRoot } from "../helpers/requirements.js";

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
