/**
 * The syscall layer: typed bindings to the Linux calls a container runtime needs.
 * Every call throws SyscallError on failure and is recorded when tracing is on.
 * This directory imports nothing from the app, the runtime or the TUI.
 */
export * from "./constants.js";
export { SyscallError } from "./errors.js";
export { errnoName } from "./errno.js";
export { cloneFlags, mountFlags } from "./flags.js";
export { setTrace, isTracing, TRACE_ENV, type TraceRecord } from "./trace.js";
export * from "./syscalls.js";
export { SYS, SYSCALL_NUMBERS, type Arch, type SyscallName } from "./syscall-numbers.js";
export { close, fdPath, fstat, mkdirat, openat, openat2, readlinkat, type FileStat, type FileType, type OpenHow } from "./files.js";
export { openInRoot, type OpenInRootOptions } from "./open-in-root.js";
export { makeReadOnlyRecursive, mountSetattr, type MountAttributes } from "./mount-attributes.js";
export {
  capabilityMask,
  capget,
  capset,
  clearAmbientCapabilities,
  DOCKER_DEFAULT_CAPABILITIES,
  dropBoundingCapability,
  getNoNewPrivs,
  keepOnlyCapabilities,
  setNoNewPrivs,
  type CapabilitySets,
} from "./capabilities.js";
export { assemble, encodeFilter, jumpIf, label, loadWord, ret, type Instruction, type SockFilter, type Target } from "./bpf.js";
export { buildSeccompFilter, CONTAINER_SECCOMP_RULES, loadSeccompFilter, type SeccompFilterOptions, type SeccompRule } from "./seccomp.js";
