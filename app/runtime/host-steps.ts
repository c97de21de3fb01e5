// The implementation's functions `container run` calls on the host (the init process has its own,
// init-steps.ts): each program bundles and loads only the steps it runs.
import { spawnInit, waitForExit } from "#impl/process";
import { namespaceFlags, spawnInNamespaces } from "#impl/namespaces";
import { addProcess, createCgroup, removeCgroup } from "#impl/cgroups";
import { connectContainer, containerResolvConf, disconnectContainer, setupBridge } from "#impl/network";
import { commandLine, environment, workingDir } from "#impl/image-config";
import { spawnInContainer } from "#impl/exec";
import { resizeTerminal } from "#impl/terminal";
import { idmapRootfs, writeIdMaps } from "#impl/userns";
import { publishPort, unpublishPort } from "#impl/ports";
import type { HostSteps } from "./contract.js";

export const hostSteps: HostSteps = {
  spawnInit,
  waitForExit,
  namespaceFlags,
  spawnInNamespaces,
  createCgroup,
  addProcess,
  removeCgroup,
  setupBridge,
  connectContainer,
  disconnectContainer,
  containerResolvConf,
  commandLine,
  environment,
  workingDir,
  spawnInContainer,
  resizeTerminal,
  writeIdMaps,
  idmapRootfs,
  publishPort,
  unpublishPort,
};
