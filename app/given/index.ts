/**
 * Given to every implementation (`import { … } from "#given"`): what the course hands you rather
 * than asks you to write. It imports only the syscall layer and the course's step table.
 */
export { todo, NotImplemented } from "./todo.js";
export { findOnPath } from "./find-on-path.js";
export { commandSucceeds, ipBatch, runCommand, CommandFailed } from "./command.js";
export { inRoot, type InRootOptions } from "./in-root.js";
