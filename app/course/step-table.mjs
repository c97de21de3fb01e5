// The course's steps, in one table that every layer reads: the launcher (which modules an
// implementation directory has), the runtime (what a TODO belongs to), the checks, the CLIs and
// the app. Plain JavaScript so that bin/lib/launch.mjs reads it before anything is built.
// Adding a step: ARCHITECTURE.md, "Adding a step".

/**
 * @typedef {object} StepEntry
 * @property {string} id          what people type: `workshop check 2`, `workshop check pivot-root`
 * @property {string} title
 * @property {string} doc         the page, relative to the repository
 * @property {string} module      the implementation module the learner writes (`<module>.ts`)
 * @property {readonly string[]} functions  its functions, in the order of the page's tasks (Task 1 first)
 * @property {readonly string[]} requires   steps whose functions every run of this one goes through
 * @property {boolean} bonus      bonus steps are named by their id, never numbered
 */

/** @satisfies {readonly StepEntry[]} */
export const STEP_TABLE = /** @type {const} */ ([
  { id: "1", title: "Process creation", doc: "docs/01-process.md", module: "process", functions: ["spawnInit", "waitForExit", "execCommand"], requires: [], bonus: false },
  { id: "2", title: "PID and UTS namespaces", doc: "docs/02-namespaces.md", module: "namespaces", functions: ["namespaceFlags", "spawnInNamespaces", "setHostname"], requires: ["1"], bonus: false },
  {
    id: "3",
    title: "Mount namespace and root directory",
    doc: "docs/03-rootfs.md",
    module: "rootfs",
    functions: ["makeMountsPrivate", "mountProc", "mountDev", "mountSys", "changeRoot"],
    requires: ["2"],
    bonus: false,
  },
  // Steps 4-6 need only 1-3: they can be done in any order.
  { id: "4", title: "cgroups: memory, CPU, pids", doc: "docs/04-cgroups.md", module: "cgroups", functions: ["createCgroup", "addProcess", "removeCgroup"], requires: ["3"], bonus: false },
  { id: "5", title: "Volumes", doc: "docs/05-volumes.md", module: "volumes", functions: ["mountVolumes"], requires: ["3"], bonus: false },
  {
    id: "6",
    title: "Networking",
    doc: "docs/06-network.md",
    module: "network",
    functions: ["setupBridge", "connectContainer", "configureContainerNetwork", "disconnectContainer", "containerResolvConf"],
    requires: ["3"],
    bonus: false,
  },
  { id: "pivot-root", title: "pivot_root", doc: "docs/bonus-pivot-root.md", module: "pivot-root", functions: ["pivotRoot"], requires: ["3"], bonus: true },
  { id: "overlay", title: "overlayfs", doc: "docs/bonus-overlayfs.md", module: "overlay", functions: ["mountOverlay"], requires: ["3"], bonus: true },
  {
    id: "privileges",
    title: "privileges",
    doc: "docs/bonus-privileges.md",
    module: "privileges",
    functions: ["dropCapabilities", "forbidNewPrivileges", "installSeccompFilter"],
    requires: ["3"],
    bonus: true,
  },
  { id: "image-config", title: "the image's config", doc: "docs/bonus-image-config.md", module: "image-config", functions: ["commandLine", "environment", "workingDir"], requires: ["3"], bonus: true },
  { id: "exec", title: "exec into a running container", doc: "docs/bonus-exec.md", module: "exec", functions: ["spawnInContainer", "enterContainerRoot"], requires: ["3"], bonus: true },
  {
    id: "terminal",
    title: "a real terminal",
    doc: "docs/bonus-terminal.md",
    module: "terminal",
    functions: ["openPseudoTerminal", "attachTerminal", "resizeTerminal"],
    requires: ["3"],
    bonus: true,
  },
  { id: "userns", title: "user namespaces", doc: "docs/bonus-userns.md", module: "userns", functions: ["writeIdMaps", "idmapRootfs", "unshareOwnedNamespaces"], requires: ["3"], bonus: true },
  { id: "init", title: "an init for PID 1", doc: "docs/bonus-init.md", module: "init", functions: ["startCommand", "forwardSignals", "reapChildren"], requires: ["3"], bonus: true },
  { id: "ports", title: "publishing ports", doc: "docs/bonus-ports.md", module: "ports", functions: ["publishPort", "unpublishPort"], requires: ["3"], bonus: true },
]);

/** The modules an implementation directory must have, without `.ts`. */
export const IMPL_MODULES = STEP_TABLE.map((step) => step.module);
