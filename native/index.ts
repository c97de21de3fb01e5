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
