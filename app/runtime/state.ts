import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { keepPrivate, mkdirPrivate } from "../private-dir.js";
import type { BridgeNetwork, Cgroup, IdRange, PublishedPort } from "./contract.js";

/** What the runtime records about a running container, so `ps` can list it and `prune` can undo it. */
export interface ContainerState {
  id: string;
  /** The ref it was started by, for `ps`. */
  image: string;
  /** The image's digest: what `rmi` must not remove from under it. */
  imageDigest: string;
  command: string[];
  /** The command's environment and working directory: `container exec` uses them too. */
  env?: string[];
  cwd?: string;
  hostname: string;
  created: string;
  /** The `container run` process that owns the container, with its start time. */
  owner: { pid: number; start: string };
  /** The init process, as seen from the host. */
  pid?: number;
  /** Its start time (field 22 of /proc/PID/stat), so a recycled pid is not mistaken for it. */
  pidStart?: string;
  /** Once the container's command runs (before, its root may not be in place: no exec yet). */
  started?: boolean;
  cgroup?: Cgroup;
  bridge?: BridgeNetwork;
  /** With --userns: the host ids its root and users are. */
  idRange?: IdRange;
  /** The host ports it claimed (-p); its nat rules carry portOwner(id). */
  ports?: PublishedPort[];
}

/** Where the store at `root` keeps its containers' states, a directory each. */
export function containersDir(root: string): string {
  return join(root, "containers");
}

/**
 * The containers' directory under the runtime's root: one directory per container. Private like
 * the image store (app/private-dir.ts): an overlay's upper directory holds what the container
 * wrote, setuid-root files included.
 */
export class StateStore {
  readonly dir: string;

  constructor(root: string) {
    this.dir = containersDir(root);
    keepPrivate(this.dir);
  }

  containerDir(id: string): string {
    return join(this.dir, id);
  }

  create(state: ContainerState): string {
    const dir = this.containerDir(state.id);
    mkdirPrivate(dir);
    this.save(state);
    return dir;
  }

  /** Written to a temporary file and renamed: a reader never sees half a state file. */
  save(state: ContainerState): void {
    const file = join(this.containerDir(state.id), "state.json");
    writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2));
    renameSync(`${file}.tmp`, file);
  }

  list(): ContainerState[] {
    let ids: string[];
    try {
      ids = readdirSync(this.dir);
    } catch {
      return [];
    }
    const states: ContainerState[] = [];
    for (const id of ids) {
      try {
        states.push(JSON.parse(readFileSync(join(this.dir, id, "state.json"), "utf8")) as ContainerState);
      } catch {
        // a container being created or removed right now
      }
    }
    return states;
  }

  remove(id: string): void {
    rmSync(this.containerDir(id), { recursive: true, force: true });
  }
}

/** The running containers' ids by the digest of their image, but for container `except`. */
export function imagesInUse(states: StateStore, except?: string): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const state of states.list()) {
    if (state.id === except || !isRunning(state)) continue;
    users.set(state.imageDigest, [...(users.get(state.imageDigest) ?? []), state.id]);
  }
  return users;
}

/** Whether the container, or the run that is still setting it up, is alive. */
export function isRunning(state: ContainerState): boolean {
  const alive = (pid: number | undefined, start: string | undefined) => pid !== undefined && start !== undefined && processStartTime(pid) === start;
  return alive(state.pid, state.pidStart) || alive(state.owner.pid, state.owner.start);
}

/**
 * The start time of a live process, or undefined once it is gone. A zombie counts as gone: a
 * container's init killed with its CLI waits as one until whoever adopted it reaps it.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
    const [state, ...fields] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return state === "Z" || state === "X" ? undefined : fields[18];
  } catch {
    return undefined;
  }
}
