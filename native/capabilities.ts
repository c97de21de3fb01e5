import { CAP, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, PR_CAPBSET_DROP, PR_CAPBSET_READ, PR_GET_NO_NEW_PRIVS, PR_SET_NO_NEW_PRIVS, type CapabilityName } from "./constants.js";
import { SyscallError } from "./errors.js";
import { shownCapabilities } from "./flags.js";
import { invoke } from "./invoke.js";
import { prctl } from "./syscalls.js";

/**
 * Capabilities split root's power into pieces a process can give up. A container's root keeps a
 * few (chown, kill, bind a low port...) and loses the rest: CAP_SYS_ADMIN (mount, namespaces),
 * CAP_SYS_MODULE, CAP_SYS_PTRACE... All of these calls act on the calling thread only: call them
 * on Node's main thread, right before execve, whose program inherits that thread's sets.
 */

/** Docker's default set (moby's oci/caps/defaults.go): what root in a container keeps. */
export const DOCKER_DEFAULT_CAPABILITIES: readonly CapabilityName[] = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_FSETID",
  "CAP_FOWNER",
  "CAP_MKNOD",
  "CAP_NET_RAW",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETFCAP",
  "CAP_SETPCAP",
  "CAP_NET_BIND_SERVICE",
  "CAP_SYS_CHROOT",
  "CAP_KILL",
  "CAP_AUDIT_WRITE",
];

/** A thread's capability sets, one bit per capability (bit CAP_CHOWN = 0 ...), as in /proc/PID/status. */
export interface CapabilitySets {
  effective: bigint;
  permitted: bigint;
  inheritable: bigint;
}

export function capabilityMask(names: readonly CapabilityName[]): bigint {
  return names.reduce((mask, name) => mask | (1n << BigInt(CAP[name])), 0n);
}

// struct __user_cap_header_struct { u32 version; int pid } with _LINUX_CAPABILITY_VERSION_3
// (64-bit sets), pid 0: the calling thread.
function capHeader(): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(0x20080522, 0);
  return header;
}

// Two struct __user_cap_data_struct { u32 effective, permitted, inheritable }: bits 0-31, then 32-63.
const OFFSETS = { effective: 0, permitted: 4, inheritable: 8 } as const;

/** capget(2): this thread's effective, permitted and inheritable sets. */
export function capget(): CapabilitySets {
  const data = Buffer.alloc(24);
  invoke("capget", () => [], (c) => c.capget(capHeader(), data));
  const read = (offset: number) => BigInt(data.readUInt32LE(offset)) | (BigInt(data.readUInt32LE(offset + 12)) << 32n);
  return { effective: read(OFFSETS.effective), permitted: read(OFFSETS.permitted), inheritable: read(OFFSETS.inheritable) };
}

/** capset(2): sets this thread's three sets. It can only lower the permitted set, never raise it. */
export function capset(sets: CapabilitySets): void {
  const data = Buffer.alloc(24);
  for (const set of ["effective", "permitted", "inheritable"] as const) {
    data.writeUInt32LE(Number(sets[set] & 0xffffffffn), OFFSETS[set]);
    data.writeUInt32LE(Number(sets[set] >> 32n), OFFSETS[set] + 12);
  }
  const shown = () => [shownCapabilities(sets.effective), shownCapabilities(sets.permitted), shownCapabilities(sets.inheritable)];
  invoke("capset", shown, (c) => c.capset(capHeader(), data));
}

/** Removes a capability from the bounding set: no execve can give it back. Needs CAP_SETPCAP. */
export function dropBoundingCapability(cap: number): void {
  prctl(PR_CAPBSET_DROP, cap);
}

/** Ambient capabilities are kept across execve even by a non-root program: clear them all. */
export function clearAmbientCapabilities(): void {
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL);
}

/**
 * Keeps only `keep` (the capabilities this thread has of them) and drops everything else, in the
 * order that works: the bounding set first, while CAP_SETPCAP is still effective; then the ambient
 * set; then capset, effective = permitted = what is kept. The inheritable set is left empty, as
 * Docker has done since CVE-2022-24769: root gets the kept set back at execve from the bounding
 * set, and a non-root program gets nothing it could pass on through file capabilities.
 */
export function keepOnlyCapabilities(keep: readonly CapabilityName[]): void {
  const mask = capabilityMask(keep);
  for (let cap = 0; ; cap++) {
    const inBoundingSet = readBoundingSet(cap);
    if (inBoundingSet === undefined) break;
    if (inBoundingSet && !(mask & (1n << BigInt(cap)))) dropBoundingCapability(cap);
  }
  clearAmbientCapabilities();
  const kept = mask & capget().permitted;
  capset({ effective: kept, permitted: kept, inheritable: 0n });
}

/** Whether `cap` is in the bounding set; undefined past the kernel's last capability (EINVAL). */
function readBoundingSet(cap: number): boolean | undefined {
  try {
    return prctl(PR_CAPBSET_READ, cap) === 1;
  } catch (error) {
    if (error instanceof SyscallError && error.code === "EINVAL") return undefined;
    throw error;
  }
}

/**
 * Sets no_new_privs: from now on no execve grants privileges (setuid and setgid bits and file
 * capabilities are ignored), for this thread and everything it starts. It cannot be unset. It
 * also lets a process without CAP_SYS_ADMIN load a seccomp filter.
 */
export function setNoNewPrivs(): void {
  prctl(PR_SET_NO_NEW_PRIVS, 1);
}

export function getNoNewPrivs(): boolean {
  return prctl(PR_GET_NO_NEW_PRIVS) === 1;
}
