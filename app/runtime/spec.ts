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
  /** `container --events FILE`: init appends what it reached and skipped there too. */
  eventsFile?: string;
}

/** What init sends back over fd 3 when it fails before the command starts. EOF without it means exec succeeded. */
export interface InitFailure {
  message: string;
  hint?: string;
  exitCode: number;
  stack?: string;
}
