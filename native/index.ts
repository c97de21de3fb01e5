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

// A container cannot touch the host (issue 11). Paths inside an image's root are resolved inside
// it and used through fds, so that the image's symlinks cannot aim the runtime at the host.
export { close, fdPath, fstat, mkdirat, openat, openat2, readlinkat, type FileStat, type FileType, type OpenHow } from "./files.js";
export { openInRoot, type OpenInRootOptions } from "./open-in-root.js";
// Read-only binds that stay read-only all the way down, submounts included.
export { makeReadOnlyRecursive, mountSetattr, type MountAttributes } from "./mount-attributes.js";
// Detached mount trees: an idmapped copy of a directory, attached where the container needs it.
export { moveMount, openTree } from "./mount-trees.js";
// Root in a container keeps only a few capabilities, and no execve gives privileges back.
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
// System calls a container has no business making (mount, new namespaces, kernel modules...) fail.
export { assemble, encodeFilter, jumpIf, label, loadWord, ret, type Instruction, type SockFilter, type Target } from "./bpf.js";
export { buildSeccompFilter, loadSeccompFilter, type SeccompFilterOptions, type SeccompRule } from "./seccomp.js";
// A command's own terminal (pseudo-terminals from a devpts), and fds copied from another process.
export { getWindowSize, ptyNumber, setControllingTerminal, setWindowSize, terminalSession, unlockPty, type WindowSize } from "./terminal.js";
export { pidfdGetfd, pidfdOpen } from "./pidfd.js";
