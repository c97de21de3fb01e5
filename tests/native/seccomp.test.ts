import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  assemble,
  AUDIT_ARCH_AARCH64,
  AUDIT_ARCH_X86_64,
  buildSeccompFilter,
  CLONE_FILES,
  CLONE_FS,
  CLONE_NEWNET,
  CLONE_NEWNS,
  CLONE_NEWTIME,
  CLONE_NEWUSER,
  jumpIf,
  label,
  loadWord,
  ret,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_KILL_PROCESS,
  SYSCALL_NUMBERS,
  type Arch,
  type SyscallName,
} from "#native";
// The reference runtime's rules: what the privileges bonus step has learners refuse.
import { SECCOMP_RULES } from "../../solutions/privileges.js";
import { runFilter } from "./helpers/classic-bpf.js";
import { runScript } from "../helpers/node-script.js";
import { requireProgram, requireRoot } from "../helpers/requirements.js";

const EPERM = SECCOMP_RET_ERRNO | 1;
const ENOSYS = SECCOMP_RET_ERRNO | 38;
// What threads and fork pass to clone: no namespace flag among them.
const CLONE_THREAD_FLAGS = 0x003d0f00;
const FORK_FLAGS = 0x01200011;

describe("the classic BPF assembler", () => {
  it("turns labels into the forward offsets the kernel counts from the next instruction", () => {
    const filter = assemble([loadWord(0), jumpIf("jeq", 7, "seven", null), jumpIf("jset", 1, null, "other"), ret(1), label("seven"), ret(7), label("other"), ret(2)]);
    expect(filter).toEqual([
      { code: 0x20, jt: 0, jf: 0, k: 0 },
      { code: 0x15, jt: 2, jf: 0, k: 7 },
      { code: 0x45, jt: 0, jf: 2, k: 1 },
      { code: 0x06, jt: 0, jf: 0, k: 1 },
      { code: 0x06, jt: 0, jf: 0, k: 7 },
      { code: 0x06, jt: 0, jf: 0, k: 2 },
    ]);
  });

  it("refuses what classic BPF cannot do", () => {
    expect(() => assemble([label("back"), jumpIf("jeq", 1, "back"), ret(0)])).toThrow(/jumps forward only/);
    expect(() => assemble([jumpIf("jeq", 1, "nowhere"), ret(0)])).toThrow(/undefined label "nowhere"/);
    expect(() => assemble([jumpIf("jeq", 1, "far"), ...Array.from({ length: 256 }, () => ret(0)), label("far"), ret(1)])).toThrow(/over 256 instructions/);
  });
});

describe.each(["x64", "arm64"] as const)("the container filter's decisions on %s", (arch: Arch) => {
  const filter = buildSeccompFilter({ arch, rules: SECCOMP_RULES });
  const own = arch === "x64" ? AUDIT_ARCH_X86_64 : AUDIT_ARCH_AARCH64;
  const decide = (name: SyscallName, ...args: number[]) => runFilter(filter, { nr: SYSCALL_NUMBERS[arch][name], arch: own, args });

  it("refuses mounting, module loading, kexec, keyrings, bpf, io_uring and the rest with EPERM", () => {
    for (const name of ["mount", "umount2", "pivot_root", "fsopen", "mount_setattr", "setns", "init_module", "kexec_load", "keyctl", "bpf", "io_uring_setup", "open_by_handle_at", "reboot"] as const) {
      expect([name, decide(name)]).toEqual([name, EPERM]);
    }
  });

  it("refuses a new namespace through unshare or clone, and lets threads, fork and other unshare flags through", () => {
    for (const flags of [CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWNET | CLONE_FS, CLONE_NEWTIME]) expect(decide("unshare", flags)).toBe(EPERM);
    expect(decide("unshare", CLONE_FS | CLONE_FILES)).toBe(SECCOMP_RET_ALLOW);
    expect(decide("clone", FORK_FLAGS | CLONE_NEWUSER)).toBe(EPERM);
    expect(decide("clone", CLONE_THREAD_FLAGS)).toBe(SECCOMP_RET_ALLOW);
    expect(decide("clone", FORK_FLAGS)).toBe(SECCOMP_RET_ALLOW);
    expect(decide("clone3")).toBe(ENOSYS);
  });

  it("allows only the harmless personalities, and calls it does not name", () => {
    for (const persona of [0, 8, 0x20000, 0xffffffff]) expect(decide("personality", persona)).toBe(SECCOMP_RET_ALLOW);
    expect(decide("personality", 0x0040000 /* ADDR_NO_RANDOMIZE */)).toBe(EPERM);
    for (const name of ["ptrace", "chroot", "openat2", "seccomp"] as const) expect(decide(name)).toBe(SECCOMP_RET_ALLOW);
  });

  it("kills a call made through another architecture's entry, or fails it with ENOSYS if asked", () => {
    const other = arch === "x64" ? AUDIT_ARCH_AARCH64 : AUDIT_ARCH_X86_64;
    expect(runFilter(filter, { nr: 1, arch: other })).toBe(SECCOMP_RET_KILL_PROCESS);
    expect(runFilter(filter, { nr: 1, arch: 0x40000003 /* i386 */ })).toBe(SECCOMP_RET_KILL_PROCESS);
    const lenient = buildSeccompFilter({ arch, rules: SECCOMP_RULES, otherArch: "enosys" });
    expect(runFilter(lenient, { nr: 1, arch: other })).toBe(ENOSYS);
  });
});

it("kills x32 calls on x86_64: they enter as x86_64 calls with bit 30 set in the number", () => {
  const filter = buildSeccompFilter({ arch: "x64", rules: SECCOMP_RULES });
  expect(runFilter(filter, { nr: 0x40000000 | SYSCALL_NUMBERS.x64.mount, arch: AUDIT_ARCH_X86_64 })).toBe(SECCOMP_RET_KILL_PROCESS);
  expect(runFilter(filter, { nr: 0x40000000 | 39 /* getpid */, arch: AUDIT_ARCH_X86_64 })).toBe(SECCOMP_RET_KILL_PROCESS);
});

describe("the container filter on the real kernel, in a child process", () => {
  let temp: string | undefined;
  afterEach(() => {
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  it.for(["as-root", "after-dropping"] as const)("loaded %s: mount, mount_setattr and new namespaces are refused; fork, files, threads and the thread pool work", async (how, ctx) => {
    requireRoot(ctx);
    requireProgram(ctx, "unshare", "util-linux");
    temp = mkdtempSync(join(tmpdir(), "seccomp-"));
    const result = await runScript(join(import.meta.dirname, "scripts", "seccomp.ts"), [temp, how]);
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      mount: "EPERM",
      mountSetattr: "EPERM",
      unshareMountNs: "EPERM",
      unshareUserNs: "EPERM",
      unshareFs: "allowed",
      syncRead: "written",
      threadPoolRead: "written",
      worker: 42,
    });
    if (how === "after-dropping") expect(report.withoutNoNewPrivs).toBe("EACCES");
    expect(report.shell.stdout).toBe("forked\nunshare exit 1\n");
    expect(report.shell.stderr).toMatch(/unshare.*Operation not permitted/);
    // Every thread filtered, Node's own included (TSYNC), not just the one that loaded it.
    expect(report.threads.length).toBeGreaterThan(1);
    expect(new Set(report.threads)).toEqual(new Set(["2"]));
    expect(readFileSync("/proc/self/mountinfo", "utf8")).not.toContain(temp);
  });
});
