import type { CapabilityName } from "#native";
import type { BridgeNetwork, NetworkMode, Volume } from "./contract.js";

/** Everything the init process needs to set up one container; sent to it as JSON over fd 3. */
export interface InitSpec {
  id: string;
  hostname: string;
  /** The root filesystem: the image's, or the overlay's merged directory when `overlay` is set. */
  rootfs: string;
  command: string[];
  env: string[];
  cwd: string;
  volumes: Volume[];
  network: NetworkMode;
  /** Set with the bridge network mode. */
  bridge?: BridgeNetwork;
  pivotRoot: boolean;
  /** --privileged: keep root's capabilities, no seccomp filter. */
  privileged: boolean;
  /** --init: the init process stays PID 1 and runs the command as its child (the init bonus step). */
  init: boolean;
  overlay?: { layers: string[]; upper: string; work: string };
  /** Whether the init process was started through spawnInNamespaces (step 2 done). */
  namespaced: boolean;
  /** Inode numbers of the runtime's own namespaces: init compares its own to know which are new. */
  hostNamespaces: { uts: number; mnt: number; net: number };
  /** Host files bind-mounted over the container's /etc/hostname, /etc/hosts and /etc/resolv.conf. */
  etcFiles: { hostname: string; hosts: string; "resolv.conf": string };
  /**
   * --userns: the host's files the container needs, as fds the runtime opened and the container's
   * processes inherited (the paths above name them /proc/self/fd/N); `tree`, the image's root
   * idmapped, is attached at the directory fd `attachAt` first. `events` stands for `eventsFile`.
   */
  userns?: { fds: number[]; tree?: number; attachAt?: number; events?: number };
  /** `container --events FILE`: init appends what it reached and skipped there too. */
  eventsFile?: string;
  /** -t: the command gets a terminal of its own, from the container's devpts. */
  tty?: boolean;
}

/** What init sends back over fd 3 when it fails before the command starts. EOF without it means exec succeeded. */
export interface InitFailure {
  message: string;
  hint?: string;
  exitCode: number;
  stack?: string;
}

/** The namespaces `container exec` joins, by their names in /proc/PID/ns. */
export const EXEC_NAMESPACES = ["uts", "ipc", "net", "pid", "mnt"] as const;
export type ExecNamespace = (typeof EXEC_NAMESPACES)[number];

/** What the container's PID 1 is confined by (the privileges bonus step): exec's process gets the same. */
export interface Confinement {
  /** The capabilities it keeps; undefined when it keeps all of ours (--privileged, or the step not done). */
  capabilities?: CapabilityName[];
  noNewPrivs: boolean;
  seccomp: boolean;
}

/** What `container exec` sends the process it starts in the container, over fd 3. */
export interface ExecSpec {
  kind: "exec";
  /** The container's init process, as the host sees it. */
  pid: number;
  command: string[];
  env: string[];
  cwd: string;
  /** Inode numbers of the container's namespaces: the process checks that it is in each. */
  namespaces: Record<ExecNamespace, number>;
  /** The container's root directory: the process checks that it is its own root. */
  root: { dev: number; ino: number };
  confinement: Confinement;
  tty: boolean;
  eventsFile?: string;
}
