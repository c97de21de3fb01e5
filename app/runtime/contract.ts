/**
 * The contract between the app and an implementation directory (exercises/, solutions/, or any
 * directory with the same modules). The app's runtime plumbing calls these functions in order;
 * implementations import only the syscall layer (#native) and the types below.
 * See ARCHITECTURE.md for when each function runs and in which process.
 */
import type { ChildProcess } from "node:child_process";
import type { CapabilityName, WindowSize } from "#native";

export type NetworkMode = "none" | "host" | "bridge";

/** Resource limits; an absent field means "no limit". */
export interface Limits {
  /** Bytes. */
  memory?: number;
  /** CPUs, e.g. 0.5 for half of one CPU. */
  cpus?: number;
  /** Maximum number of processes (tasks). */
  pids?: number;
}

/** A bind mount from the host into the container. */
export interface Volume {
  /** Absolute path on the host (exists). */
  source: string;
  /** Absolute path inside the container. */
  target: string;
  readOnly: boolean;
}

/** Addresses for one container on the host's bridge, chosen by the app. */
export interface BridgeNetwork {
  /** The host-side bridge, like docker0. */
  bridge: string;
  /** The subnet in CIDR form, e.g. 10.229.0.0/24. */
  subnet: string;
  /** The bridge's own address, the containers' default gateway, e.g. 10.229.0.1. */
  gateway: string;
  /** The container's address with prefix length, e.g. 10.229.0.7/24. */
  address: string;
  /** Name of the host end of the veth pair (at most 15 characters). */
  hostVeth: string;
  /** Name of the container end once it is inside the container. */
  containerVeth: string;
}

/** How the app asks for the container's init process: run `command` with `args` (this program, re-executed). */
export interface InitCommand {
  command: string;
  args: string[];
  /** The environment for the init process (not the container's command). */
  env: NodeJS.ProcessEnv;
}

/** A cgroup made for one container: the directory of each controller (all the same on cgroup v2). */
export interface Cgroup {
  version: 1 | 2;
  dirs: { memory: string; cpu: string; pids: string };
}

/**
 * Where cgroups are on this machine, as the app found them (see app/runtime/cgroup-root.ts),
 * and `parent`: the path below each hierarchy's root under which containers' cgroups go
 * ("container-workshop" unless CONTAINER_CGROUP_PARENT says otherwise).
 */
export type CgroupRoot =
  | { version: 2; path: string; parent: string }
  | { version: 1; controllers: { memory: string; cpu: string; pids: string }; parent: string };

/** Step 1: process creation. */
export interface ProcessStep {
  /** Starts the init process with stdin, stdout and stderr shared with ours and fd 3 a pipe to us. */
  spawnInit(init: InitCommand): ChildProcess;
  /** Resolves with the shell-style exit status: the code, or 128 + signal number. */
  waitForExit(child: ChildProcess): Promise<number>;
  /** In the init process: finds `argv[0]` on PATH and replaces this process with it. */
  execCommand(argv: string[], env: string[]): never;
}

/** Step 2: PID and UTS namespaces (and the others the runtime uses). */
export interface NamespacesStep {
  /** The CLONE_NEW* flags for a container with this network mode. */
  namespaceFlags(network: NetworkMode): number;
  /** Calls `spawn` so that the process it starts is born in new namespaces; we stay in ours. */
  spawnInNamespaces<T>(flags: number, spawn: () => T): T;
  /** In the init process: sets the container's hostname. */
  setHostname(name: string): void;
}

/** Step 3: mount namespace and root directory. */
export interface RootfsStep {
  /** In the init process: stops mounts from propagating back to the host. */
  makeMountsPrivate(): void;
  /** Mounts /proc inside `rootfs`, from inside the new PID namespace. */
  mountProc(rootfs: string): void;
  /** Gives `rootfs` a minimal /dev: null, zero, full, random, urandom, tty, pts, shm. */
  mountDev(rootfs: string): void;
  /** Mounts a read-only /sys inside `rootfs`. */
  mountSys(rootfs: string): void;
  /** Makes `rootfs` the root directory with chroot. */
  changeRoot(rootfs: string): void;
}

/** Bonus step pivot-root. */
export interface PivotRootStep {
  /** Makes `rootfs` the root with pivot_root, leaving no way back to the host's root. */
  pivotRoot(rootfs: string): void;
}

/** Bonus step overlay. */
export interface OverlayStep {
  /** Mounts an overlay of `layers` (lowest first) with writes going to `upper`, at `target`. */
  mountOverlay(layers: string[], upper: string, work: string, target: string): void;
}

/** Bonus step privileges: in the init process, last before the command, in this order. */
export interface PrivilegesStep {
  /** Keeps only the capabilities in `keep`, in every set (bounding, effective, permitted); ambient and inheritable cleared. */
  dropCapabilities(keep: readonly CapabilityName[]): void;
  /** Sets no_new_privs: nothing the command executes gains privileges (setuid bits, file capabilities). */
  forbidNewPrivileges(): void;
  /** Loads a seccomp filter that refuses the system calls a container has no business making (EPERM). */
  installSeccompFilter(): void;
}

/** A range of user (and group) ids on the host: ids 0 to size - 1 in the container are start to start + size - 1 here. */
export interface IdRange {
  start: number;
  size: number;
}

/** Bonus step userns: root in the container is an unprivileged range of ids on the host. */
export interface UsernsStep {
  /** On the host: maps ids 0 to range.size - 1 of the user namespace of process `pid` to the range, for users and groups. */
  writeIdMaps(pid: number, range: IdRange): void;
  /** On the host: a detached copy of the mount at `rootfs` (and below), idmapped like the user namespace `usernsFd`; returns its fd. */
  idmapRootfs(rootfs: string, usernsFd: number): number;
  /** In the container's first process, inside the user namespace: makes the namespaces of `flags` (the user and mount namespaces are made already), so that the user namespace owns them. */
  unshareOwnedNamespaces(flags: number): void;
}

/** Step 4: cgroups. */
export interface CgroupsStep {
  /** Creates the container's cgroup under `root` and writes the limits. */
  createCgroup(root: CgroupRoot, id: string, limits: Limits): Cgroup;
  /** Moves process `pid` into the cgroup. */
  addProcess(cgroup: Cgroup, pid: number): void;
  /** Kills what is left in the cgroup and removes it. */
  removeCgroup(cgroup: Cgroup): void;
}

/** Step 5: volumes. */
export interface VolumesStep {
  /** In the init process, before the root changes: bind-mounts each volume into `rootfs`. */
  mountVolumes(rootfs: string, volumes: Volume[]): void;
}

/** Step 6: networking. */
export interface NetworkStep {
  /** On the host: creates the bridge with the gateway address, forwarding and NAT, if not there yet. */
  setupBridge(net: BridgeNetwork): void;
  /** On the host: a veth pair, one end on the bridge, the other moved into the network namespace of `pid`. */
  connectContainer(pid: number, net: BridgeNetwork): void;
  /** In the init process: brings up lo, and with a bridge network eth0 with its address and default route. */
  configureContainerNetwork(net: BridgeNetwork | undefined): void;
  /** On the host, after the container exited: removes what connectContainer made. */
  disconnectContainer(net: BridgeNetwork): void;
  /** The container's /etc/resolv.conf, given the host's and, where systemd-resolved runs, its upstream file. */
  containerResolvConf(hostResolvConf: string, upstreamResolvConf: string | undefined): string;
}

/** The parts of an image's configuration a runtime honours (from the OCI image config's `config`). */
export interface ImageConfig {
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
}

/** Bonus step image-config: honouring the image's configuration. */
export interface ImageConfigStep {
  /** The command to run: the image's Entrypoint, then `args` if any were given, else the image's Cmd. */
  commandLine(config: ImageConfig, args: string[]): string[];
  /** The command's environment: the image's Env, overridden by `extra` where a name is in both. */
  environment(config: ImageConfig, extra: string[]): string[];
  /** The directory the command starts in. */
  workingDir(config: ImageConfig): string;
}

/** Bonus step exec: a command in a running container, like `docker exec`. */
export interface ExecStep {
  /** On the host: calls `spawn` so that the process it starts is born in the UTS, IPC, network and PID namespaces of process `pid`; we stay in ours. */
  spawnInContainer<T>(pid: number, spawn: () => T): T;
  /** In the new process: joins the mount namespace of process `pid`, takes its root directory, and moves to `cwd` inside that root. */
  enterContainerRoot(pid: number, cwd: string): void;
}

/** A pseudo-terminal: the master end (fd) and the slave end (fd and its path, e.g. /dev/pts/0). */
export interface PseudoTerminal {
  master: number;
  slave: number;
  path: string;
}

/** Bonus step terminal: `-t` gives the command a terminal of its own from the container's devpts. */
export interface TerminalStep {
  /** In the container, once its root is in place: a new pseudo-terminal from its /dev/ptmx, unlocked. */
  openPseudoTerminal(): PseudoTerminal;
  /** Makes `slave` the controlling terminal of a new session led by this process, and its stdin, stdout and stderr. */
  attachTerminal(slave: number): void;
  /** On the host: gives the terminal whose master is `master` the user's window size. */
  resizeTerminal(master: number, size: WindowSize): void;
}

/**
 * Bonus step init (`container run --init`): the init process stays PID 1 and runs the command as
 * its child, like Docker's --init (tini). In the init process, after the privileges step.
 */
export interface InitStep {
  /** Starts the command as a child of this process: `argv[0]` found on PATH in `env`, stdin, stdout and stderr shared. */
  startCommand(argv: string[], env: string[]): ChildProcess;
  /** Passes each of `signals` that this process receives on to `child`. */
  forwardSignals(child: ChildProcess, signals: readonly NodeJS.Signals[]): void;
  /** Reaps every child that ends, orphans included, until `child` has: resolves with its shell-style status (128 + N for signal N). */
  reapChildren(child: ChildProcess): Promise<number>;
}

/** A port published with `-p HOST_PORT:CONTAINER_PORT[/tcp|udp]`. */
export interface PublishedPort {
  protocol: "tcp" | "udp";
  /** The port on the host's addresses. */
  hostPort: number;
  /** The port in the container it leads to. */
  containerPort: number;
}

/** Bonus step ports (`container run -p`): on the host, after the container is on the bridge. */
export interface PortsStep {
  /**
   * Adds the nat rules that send `port.hostPort` on any of the host's addresses (127.0.0.0/8
   * aside) to `port.containerPort` at the container's address: from other machines, from the host
   * itself, from other containers and from the container itself. Every rule carries the comment
   * `owner` (`-m comment --comment`), by which the runtime finds what a container left.
   */
  publishPort(port: PublishedPort, net: BridgeNetwork, owner: string): void;
  /** After the container exited: removes the rules publishPort() added. */
  unpublishPort(port: PublishedPort, net: BridgeNetwork, owner: string): void;
}

/** Each module of an implementation directory (named as in app/course/step-table.mjs) and what it must export. */
export interface ImplementationModules {
  process: ProcessStep;
  namespaces: NamespacesStep;
  rootfs: RootfsStep;
  cgroups: CgroupsStep;
  volumes: VolumesStep;
  network: NetworkStep;
  "pivot-root": PivotRootStep;
  overlay: OverlayStep;
  privileges: PrivilegesStep;
  "image-config": ImageConfigStep;
  exec: ExecStep;
  terminal: TerminalStep;
  userns: UsernsStep;
  init: InitStep;
  ports: PortsStep;
}

/** A whole implementation: every step's functions (their names are unique across steps). */
export type Implementation = ProcessStep &
  NamespacesStep &
  RootfsStep &
  CgroupsStep &
  VolumesStep &
  NetworkStep &
  PivotRootStep &
  OverlayStep &
  PrivilegesStep &
  ImageConfigStep &
  ExecStep &
  TerminalStep &
  UsernsStep &
  InitStep &
  PortsStep;

/** What `container run` calls, on the host. */
export type HostSteps = Pick<
  Implementation,
  | "spawnInit"
  | "waitForExit"
  | "namespaceFlags"
  | "spawnInNamespaces"
  | "createCgroup"
  | "addProcess"
  | "removeCgroup"
  | "setupBridge"
  | "connectContainer"
  | "disconnectContainer"
  | "containerResolvConf"
  | "commandLine"
  | "environment"
  | "workingDir"
  | "spawnInContainer"
  | "resizeTerminal"
  | "writeIdMaps"
  | "idmapRootfs"
  | "publishPort"
  | "unpublishPort"
>;

/** What the init process calls, inside the container's namespaces. */
export type InitSteps = Omit<Implementation, keyof HostSteps>;

