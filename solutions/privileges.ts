// Bonus step: privileges. Root in the container keeps only Docker's few capabilities, execve can
// give none back, and a seccomp filter takes away the system calls a container has no business
// making. All three run in the init process, last before the command: from then on the init
// process itself could no longer mount or change namespaces.
import { constants } from "node:os";
import {
  buildSeccompFilter,
  CLONE_NEWCGROUP,
  CLONE_NEWIPC,
  CLONE_NEWNET,
  CLONE_NEWNS,
  CLONE_NEWPID,
  CLONE_NEWTIME,
  CLONE_NEWUSER,
  CLONE_NEWUTS,
  keepOnlyCapabilities,
  loadSeccompFilter,
  setNoNewPrivs,
  type CapabilityName,
  type SeccompRule,
  type SyscallName,
} from "#native";

export function dropCapabilities(keep: readonly CapabilityName[]): void {
  // The bounding set first (it needs CAP_SETPCAP, which goes last), then what we hold.
  keepOnlyCapabilities(keep);
}

export function forbidNewPrivileges(): void {
  // Without it a setuid-root program in the image would get back everything dropped above.
  setNoNewPrivs();
}

export function installSeccompFilter(): void {
  loadSeccompFilter(buildSeccompFilter({ rules: SECCOMP_RULES }));
}

const { ENOSYS } = constants.errno;

/** The namespace flags clone(2) accepts; CLONE_NEWTIME is not one (clone's low byte is the exit signal). */
const CLONE_NEW_ANY = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP;

const refuse = (...names: SyscallName[]): SeccompRule[] => names.map((syscall) => ({ syscall }));

/**
 * What a container may not call, after Docker's default profile (moby profiles/seccomp), written as
 * a deny list where Docker's is an allow list. Left allowed, as Docker does: ptrace (safe with
 * seccomp since Linux 4.8; without CAP_SYS_PTRACE it reaches only the container's own processes)
 * and chroot (CAP_SYS_CHROOT is in the default set, and chroot cannot leave a pivot_root'ed root).
 */
export const SECCOMP_RULES: readonly SeccompRule[] = [
  // Reshaping the filesystem view: the runtime has built it, the container lives in it.
  ...refuse("mount", "umount2", "pivot_root", "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr"),
  // New namespaces, a user namespace above all: inside one, a process has every capability again.
  { syscall: "unshare", ifAnyBits: { arg: 0, bits: CLONE_NEW_ANY | CLONE_NEWTIME } },
  { syscall: "clone", ifAnyBits: { arg: 0, bits: CLONE_NEW_ANY } },
  // clone3 passes its flags in memory, where a filter cannot look: ENOSYS makes glibc fall back to clone.
  { syscall: "clone3", errno: ENOSYS },
  ...refuse("setns"),
  // The machine itself: its kernel, modules, power, swap, clock, accounting and kernel log.
  ...refuse("kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot", "swapon", "swapoff"),
  ...refuse("settimeofday", "clock_settime", "acct", "syslog", "lookup_dcookie", "quotactl", "quotactl_fd"),
  // Kernel-wide keyrings, and the large attack surfaces: eBPF, perf, userfaultfd, io_uring (its
  // operations escape seccomp), and file handles (open_by_handle_at reached the host's files, "shocker").
  ...refuse("keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd", "open_by_handle_at"),
  ...refuse("io_uring_setup", "io_uring_enter", "io_uring_register"),
  // personality: only the harmless ones Docker allows (Linux, PER_LINUX32, UNAME26, and the query
  // 0xffffffff); not ADDR_NO_RANDOMIZE and the like, which weaken the process's defences.
  { syscall: "personality", unlessOneOf: { arg: 0, values: [0x0, 0x8, 0x20000, 0x20008, 0xffffffff] } },
];
