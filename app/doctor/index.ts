/**
 * `workshop doctor`, and the app's first look at the machine: everything the course needs, each
 * found fine or reported as one line with what to do, so a missing piece shows up now and not
 * later inside a check. The probes can be replaced, so tests can stage any machine.
 */
import { dirname } from "node:path";
import { MARK } from "../format.js";
import type { CgroupRoot } from "../runtime/contract.js";
import { findPackageManager, installFix, PACKAGES, type InstallableProgram, type PackageManager } from "./packages.js";

export type Severity = "ok" | "warn" | "fail" | "skip";

export interface Finding {
  /** What was looked at, in a word or two: "root", "cgroups". */
  check: string;
  severity: Severity;
  /** What was found. */
  message: string;
  /** What to do about it, when something is wrong. */
  fix?: string;
  /** The package that provides what is missing, named for this machine's package manager: what `workshop doctor --fix` installs. */
  package?: string;
}

export interface Probes {
  platform: NodeJS.Platform;
  uid: number | undefined;
  nodeVersion: string;
  kernel: string;
  /** Runs a command to its end; `missing` when it is not installed. */
  run(command: string, args: string[]): Promise<{ status: number | null; stderr: string } | { missing: true }>;
  /** The program's path on PATH, if it is there. */
  which(program: string): string | undefined;
  /**
   * The program's path in a system directory that PATH lacks (/usr/local/sbin, /usr/sbin, /sbin):
   * Debian's `su` without `-` keeps the user's PATH, which has none of them.
   */
  offPath(program: string): string | undefined;
  cgroupRoot(): CgroupRoot | undefined;
  busybox(): string | undefined;
  /** Only asked when there is no busybox to build the image from. */
  registryReachable(): Promise<boolean>;
}

export interface DoctorOptions {
  probes?: Partial<Probes>;
}

const MIN_NODE = 20;
const SUDO = "sudo npx workshop";

/** The real machine's probes, with those of `options` in their place. */
export async function resolveProbes(options: DoctorOptions = {}): Promise<Probes> {
  // Loaded on use: the real probes pull in the image store, which the app need not load to draw.
  const { realProbes } = await import("./probes.js");
  return { ...realProbes(), ...options.probes };
}

export async function runDoctor(options: DoctorOptions = {}): Promise<Finding[]> {
  const probe = await resolveProbes(options);
  const manager = findPackageManager(probe.which);
  const findings: Finding[] = [];
  if (probe.platform !== "linux") {
    findings.push({
      check: "Linux",
      severity: "fail",
      message: `this is ${probe.platform}: containers are a Linux kernel feature`,
      fix: "open the devcontainer (.devcontainer/) or a Linux VM, and run the workshop there",
    });
    findings.push(nodeVersion(probe));
    return findings;
  }
  findings.push({ check: "Linux", severity: "ok", message: `kernel ${probe.kernel}` });
  const root = probe.uid === 0;
  findings.push(
    root
      ? { check: "root", severity: "ok", message: "running as root" }
      : { check: "root", severity: "fail", message: "not running as root", fix: `run: ${SUDO}` },
  );
  findings.push(nodeVersion(probe));
  findings.push(await namespaces(probe, root, manager));
  findings.push(cgroups(probe));
  findings.push(program(probe, manager, "ip", "fail", "every container's network needs it"));
  findings.push(iptables(probe, manager));
  findings.push(await image(probe, manager));
  findings.push(program(probe, manager, "git", "warn", "`workshop reset` restores exercises with it"));
  return findings;
}

/** The findings that stop the course from running at all. */
export function blockers(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity === "fail");
}

/** The app's marks, and a dash for what could not be looked at. */
const SEVERITY_SYMBOL: Record<Severity, string> = { ok: MARK.pass.symbol, warn: MARK.error.symbol, fail: MARK.fail.symbol, skip: "–" };

/** One line per finding, then a verdict: what `workshop doctor` prints. */
export function formatFindings(findings: Finding[]): string {
  const width = Math.max(...findings.map((f) => f.check.length));
  const lines = findings.map((f) => `  ${SEVERITY_SYMBOL[f.severity]} ${f.check.padEnd(width)}  ${describeFinding(f)}`);
  const blocking = blockers(findings).length;
  const verdict =
    blocking === 0
      ? "Ready: this machine has what the workshop needs."
      : `${blocking === 1 ? "1 problem blocks" : `${blocking} problems block`} the workshop: fix ${blocking === 1 ? "it" : "them"}, then run \`workshop doctor\` again.`;
  return `${lines.join("\n")}\n\n${verdict}\n`;
}

/** The line that offers `workshop doctor --fix`, when there is something it can install. */
export function fixOffer(findings: Finding[]): string | undefined {
  return findings.some((f) => f.package) ? "To install what is missing: npx workshop doctor --fix" : undefined;
}

/** "what was found — what to do", the one line a finding takes anywhere. */
export function describeFinding(finding: Finding): string {
  return finding.fix ? `${finding.message} — ${finding.fix}` : finding.message;
}

function nodeVersion(probe: Probes): Finding {
  const major = Number(probe.nodeVersion.split(".")[0]);
  return major >= MIN_NODE
    ? { check: "Node.js", severity: "ok", message: probe.nodeVersion }
    : { check: "Node.js", severity: "fail", message: `Node.js ${probe.nodeVersion} is too old (${MIN_NODE} or later is needed)`, fix: `install Node.js ${MIN_NODE} or later` };
}

async function namespaces(probe: Probes, root: boolean, manager: PackageManager | undefined): Promise<Finding> {
  const check = "namespaces";
  if (!root) return { check, severity: "skip", message: "not tested: creating namespaces needs root" };
  const result = await probe.run("unshare", ["--uts", "--mount", "--net", "--pid", "--fork", "true"]);
  if ("missing" in result) return { check, severity: "fail", message: "unshare is not installed", ...install(manager, "unshare") };
  if (result.status === 0) return { check, severity: "ok", message: "new UTS, mount, network and PID namespaces work" };
  const why = result.stderr.trim().split("\n").pop() || `unshare exited with ${result.status}`;
  return {
    check,
    severity: "fail",
    message: `the kernel refused new namespaces (${why})`,
    fix: "in Docker, run the devcontainer (it is privileged); otherwise use a Linux VM",
  };
}

function cgroups(probe: Probes): Finding {
  const root = probe.cgroupRoot();
  if (!root) {
    return {
      check: "cgroups",
      severity: "fail",
      message: "no cgroup hierarchy offers the memory, cpu and pids controllers",
      fix: "use a Linux VM or the devcontainer (see README), where systemd provides them",
    };
  }
  return root.version === 2
    ? { check: "cgroups", severity: "ok", message: `cgroup v2 at ${root.path} (memory, cpu, pids)` }
    : { check: "cgroups", severity: "ok", message: "cgroup v1 (memory, cpu, pids hierarchies)" };
}

/** The fix that installs `program`'s package, and the package when `workshop doctor --fix` can install it. */
function install(manager: PackageManager | undefined, program: InstallableProgram): Pick<Finding, "fix" | "package"> {
  return { fix: installFix(manager, program), ...(manager && { package: PACKAGES[program][manager] }) };
}

function program(probe: Probes, manager: PackageManager | undefined, name: InstallableProgram, severity: Severity, why: string): Finding {
  const path = probe.which(name);
  if (path) return { check: name, severity: "ok", message: path };
  // The runtime and the learner's code run it by name: found off PATH, it is as good as missing.
  const elsewhere = probe.offPath(name);
  if (elsewhere) {
    const dir = dirname(elsewhere);
    return {
      check: name,
      severity,
      message: `${name} is in ${dir}, which is not on PATH (${why})`,
      fix: `open the root shell with \`su -\` or \`sudo -s\`, or run: export PATH="$PATH:${dir}"`,
    };
  }
  return { check: name, severity, message: `${name} is not installed (${why})`, ...install(manager, name) };
}

function iptables(probe: Probes, manager: PackageManager | undefined): Finding {
  const finding = program(probe, manager, "iptables", "warn", "step 6 sets up NAT with it");
  if (probe.which("iptables") || probe.offPath("iptables") || !probe.which("nft")) return finding;
  return { ...finding, message: "iptables is not installed (nft is, but step 6 drives iptables)" };
}

async function image(probe: Probes, manager: PackageManager | undefined): Promise<Finding> {
  const busybox = probe.busybox();
  if (busybox) return { check: "image", severity: "ok", message: `${busybox} is there: the checks build their image from it, offline` };
  const { fix, ...rest } = install(manager, "busybox");
  if (await probe.registryReachable()) {
    return {
      check: "image",
      severity: "warn",
      message: "no /bin/busybox: the checks will pull their image from Docker Hub",
      fix: `to work offline, ${fix}`,
      ...rest,
    };
  }
  return {
    check: "image",
    severity: "fail",
    message: "no image for the checks: /bin/busybox is missing and Docker Hub is out of reach",
    fix,
    ...rest,
  };
}
