// The implementation's functions the init process calls, inside the container's namespaces (the
// host side has its own, host-steps.ts): each program bundles and loads only the steps it runs.
import { execCommand } from "#impl/process";
import { setHostname } from "#impl/namespaces";
import { changeRoot, makeMountsPrivate, mountDev, mountProc, mountSys } from "#impl/rootfs";
import { mountVolumes } from "#impl/volumes";
import { configureContainerNetwork } from "#impl/network";
import { pivotRoot } from "#impl/pivot-root";
import { mountOverlay } from "#impl/overlay";
import { dropCapabilities, forbidNewPrivileges, installSeccompFilter } from "#impl/privileges";
import { enterContainerRoot } from "#impl/exec";
import { attachTerminal, openPseudoTerminal } from "#impl/terminal";
import { unshareOwnedNamespaces } from "#impl/userns";
import { forwardSignals, reapChildren, startCommand } from "#impl/init";
import type { InitSteps } from "./contract.js";

export const initSteps: InitSteps = {
  execCommand,
  setHostname,
  makeMountsPrivate,
  mountProc,
  mountDev,
  mountSys,
  changeRoot,
  mountVolumes,
  configureContainerNetwork,
  pivotRoot,
  mountOverlay,
  dropCapabilities,
  forbidNewPrivileges,
  installSeccompFilter,
  enterContainerRoot,
  openPseudoTerminal,
  attachTerminal,
  unshareOwnedNamespaces,
  startCommand,
  forwardSignals,
  reapChildren,
};
