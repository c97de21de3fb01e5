import { constants } from "node:os";
import { assemble, encodeFilter, jumpIf, label, loadWord, ret, type Instruction, type SockFilter } from "./bpf.js";
import {
  AUDIT_ARCH_AARCH64,
  AUDIT_ARCH_X86_64,
  SECCOMP_FILTER_FLAG_TSYNC,
  SECCOMP_FILTER_FLAG_TSYNC_ESRCH,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_KILL_PROCESS,
  SECCOMP_SET_MODE_FILTER,
} from "./constants.js";
import { FlagWord, shownSeccompFlags } from "./flags.js";
import { invoke } from "./invoke.js";
import { SYS, SYSCALL_NUMBERS, type Arch, type SyscallName } from "./syscall-numbers.js";

/**
 * seccomp filters: a BPF program the kernel runs on every system call of a process, which may
 * refuse the call. Capabilities decide what root may do; seccomp removes whole system calls, so
 * that a bug in one of them (the kernel's attack surface) cannot be reached from a container.
 */

/** One refused call. Arguments are checked on their low 32 bits (see argumentWord). */
export interface SeccompRule {
  syscall: SyscallName;
  /** The errno the call fails with; EPERM unless said. */
  errno?: number;
  /** Refuse only when argument `arg` has any of `bits` set (a flags word). */
  ifAnyBits?: { arg: number; bits: number };
  /** Refuse unless argument `arg` is one of `values`. */
  unlessOneOf?: { arg: number; values: readonly number[] };
}

export interface SeccompFilterOptions {
  rules: readonly SeccompRule[];
  /** The architecture whose numbers the rules use; the machine's own by default. */
  arch?: Arch;
  /**
   * What happens to a call made through another architecture's entry (a 32-bit call on x86_64,
   * int 0x80, or x32): its numbers differ, so the rules would not match it. "kill" ends the
   * process (the default); "enosys" makes the call fail as if it did not exist.
   */
  otherArch?: "kill" | "enosys";
}

const { EPERM, ENOSYS } = constants.errno;
const AUDIT_ARCH: Record<Arch, number> = { x64: AUDIT_ARCH_X86_64, arm64: AUDIT_ARCH_AARCH64 };
// x32 calls enter through the x86_64 entry with this bit set in the number.
const X32_SYSCALL_BIT = 0x40000000;

// struct seccomp_data { int nr; u32 arch; u64 instruction_pointer; u64 args[6]; }
const NR = 0;
const ARCH = 4;
/** The low 32 bits of an argument (little-endian). Enough for the rules here: clone's and unshare's namespace flags are all in the low word, and personality takes an unsigned int. */
const argumentWord = (arg: number): number => 16 + 8 * arg;

/**
 * Builds the filter: check the architecture, then each rule in turn; any other call is allowed.
 * A deny list: a system call added to the kernel later is allowed until a rule names it.
 */
export function buildSeccompFilter(options: SeccompFilterOptions): SockFilter[] {
  const arch = options.arch ?? machineArch();
  const numbers = SYSCALL_NUMBERS[arch];
  const program: Instruction[] = [loadWord(ARCH), jumpIf("jeq", AUDIT_ARCH[arch], null, "other-arch"), loadWord(NR)];
  if (arch === "x64") program.push(jumpIf("jge", X32_SYSCALL_BIT, "other-arch"));
  const errnos = new Set<number>();
  options.rules.forEach((rule, i) => {
    const errno = rule.errno ?? EPERM;
    errnos.add(errno);
    const refused = `errno-${errno}`;
    const nr = numbers[rule.syscall];
    if (rule.ifAnyBits) {
      // A holds the number until a rule matches; a matching rule decides, so it may load its argument.
      program.push(jumpIf("jeq", nr, null, `rule-${i}-end`), loadWord(argumentWord(rule.ifAnyBits.arg)));
      program.push(jumpIf("jset", rule.ifAnyBits.bits, refused, "allow"), label(`rule-${i}-end`));
    } else if (rule.unlessOneOf) {
      program.push(jumpIf("jeq", nr, null, `rule-${i}-end`), loadWord(argumentWord(rule.unlessOneOf.arg)));
      const values = rule.unlessOneOf.values;
      if (values.length === 0) throw new Error(`seccomp: the rule for ${rule.syscall} lists no allowed values`);
      values.forEach((value, v) => program.push(jumpIf("jeq", value, "allow", v === values.length - 1 ? refused : null)));
      program.push(label(`rule-${i}-end`));
    } else {
      program.push(jumpIf("jeq", nr, refused));
    }
  });
  program.push(label("allow"), ret(SECCOMP_RET_ALLOW));
  for (const errno of errnos) program.push(label(`errno-${errno}`), ret(SECCOMP_RET_ERRNO | errno));
  program.push(label("other-arch"), ret(options.otherArch === "enosys" ? SECCOMP_RET_ERRNO | ENOSYS : SECCOMP_RET_KILL_PROCESS));
  return assemble(program);
}

function machineArch(): Arch {
  if (process.arch === "x64" || process.arch === "arm64") return process.arch;
  throw new Error(`seccomp: no system call table for ${process.arch} (only x64 and arm64)`);
}

/**
 * Loads a filter with seccomp(2) for every thread of the process (TSYNC): Node runs threads of
 * its own, and a filter on the main thread alone would leave them free. Filters cannot be removed,
 * and survive fork and execve. Without CAP_SYS_ADMIN, set no_new_privs first (setNoNewPrivs).
 * Load it last before execve: from then on the runtime's own calls are filtered too.
 */
export function loadSeccompFilter(filter: readonly SockFilter[]): void {
  const program = encodeFilter(filter);
  // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
  const fprog = Buffer.alloc(16);
  fprog.writeUInt16LE(filter.length, 0);
  const flags = SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
  const shown = () => [new FlagWord("SECCOMP_SET_MODE_FILTER"), shownSeccompFlags(flags), new FlagWord(`[${filter.length} instructions]`)];
  invoke("seccomp", shown, (c) => {
    fprog.writeBigUInt64LE(BigInt(c.koffi.address(program)), 8);
    return c.syscall(SYS.seccomp, "unsigned int", SECCOMP_SET_MODE_FILTER, "unsigned int", flags, "void *", fprog);
  });
}
