/**
 * The course in one place: every step, its page in docs/, the exercise modules it asks for, and
 * how it relates to the others. The checks, the `workshop` CLI and the app all read this.
 */
export interface Step {
  /** What people type: `workshop check 2`, `workshop check pivot-root`. */
  id: string;
  /** Shown in lists: 1-6, and 7 for the bonus steps. */
  number: number;
  title: string;
  /** The page, relative to the repository. */
  doc: string;
  /** The exercise modules this step has you write, relative to the implementation directory. */
  modules: string[];
  /** The functions of those modules that this step has you write (several steps share rootfs.ts). */
  functions: string[];
  /** Steps 4-6 can be done in any order once 1-3 are done. */
  anyOrder?: boolean;
  bonus?: boolean;
}

export const STEPS: readonly Step[] = [
  { id: "1", number: 1, title: "Process creation", doc: "docs/01-process.md", modules: ["process.ts"], functions: ["spawnInit", "waitForExit", "execCommand"] },
  { id: "2", number: 2, title: "PID and UTS namespaces", doc: "docs/02-namespaces.md", modules: ["namespaces.ts"], functions: ["namespaceFlags", "spawnInNamespaces", "setHostname"] },
  { id: "3", number: 3, title: "Mount namespace and root directory", doc: "docs/03-rootfs.md", modules: ["rootfs.ts"], functions: ["makeMountsPrivate", "mountProc", "mountDev", "mountSys", "changeRoot"] },
  { id: "4", number: 4, title: "cgroups: memory, CPU, pids", doc: "docs/04-cgroups.md", modules: ["cgroups.ts"], functions: ["createCgroup", "addProcess", "removeCgroup"], anyOrder: true },
  { id: "5", number: 5, title: "Volumes", doc: "docs/05-volumes.md", modules: ["volumes.ts"], functions: ["mountVolumes"], anyOrder: true },
  { id: "6", number: 6, title: "Networking", doc: "docs/06-network.md", modules: ["network.ts"], functions: ["setupBridge", "connectContainer", "configureContainerNetwork", "disconnectContainer", "containerResolvConf"], anyOrder: true },
  { id: "pivot-root", number: 7, title: "Bonus: pivot_root", doc: "docs/bonus-pivot-root.md", modules: ["rootfs.ts"], functions: ["pivotRoot"], bonus: true },
  { id: "overlay", number: 7, title: "Bonus: overlayfs", doc: "docs/bonus-overlayfs.md", modules: ["rootfs.ts"], functions: ["mountOverlay"], bonus: true },
  { id: "image-config", number: 7, title: "Bonus: the image's config", doc: "docs/bonus-image-config.md", modules: ["image-config.ts"], functions: ["commandLine", "environment", "workingDir"], bonus: true },
];

/** The introduction and the outro, which have no checks. */
export const INTRODUCTION = "docs/00-introduction.md";
export const OUTRO = "docs/07-outro.md";

/** A page to read, without checks: the app lists the introduction and the outro around the steps. */
export interface Reading {
  /** Saved as the progress's current step when the learner is on it. */
  id: string;
  title: string;
  doc: string;
}

export const INTRODUCTION_PAGE: Reading = { id: "intro", title: "Introduction", doc: INTRODUCTION };
export const OUTRO_PAGE: Reading = { id: "outro", title: "Outro", doc: OUTRO };

export function findReading(id: string): Reading | undefined {
  return [INTRODUCTION_PAGE, OUTRO_PAGE].find((r) => r.id === id);
}

export function findStep(id: string): Step | undefined {
  return STEPS.find((s) => s.id === id);
}
