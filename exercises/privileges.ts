// Bonus step: privileges — docs/bonus-privileges.md
//
// Root in a container is still root: these three take most of that away. They run in the init
// process, last before the command starts, in this order.
import type { CapabilityName } from "#native";
import { todo } from "#given";

/** Keep only the capabilities named in `keep`, in every capability set. (Task 1) */
export function dropCapabilities(keep: readonly CapabilityName[]): void {
  todo("dropCapabilities");
}

/** Make sure nothing the command executes can gain privileges. (Task 2) */
export function forbidNewPrivileges(): void {
  todo("forbidNewPrivileges");
}

/** Refuse, with EPERM, the system calls a container has no business making. (Task 3) */
export function installSeccompFilter(): void {
  todo("installSeccompFilter");
}
