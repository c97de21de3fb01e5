// The `container` command: the learner's runtime, driven like `docker`.
import { resolve } from "node:path";
import { reportErrors, UserError } from "../errors.js";
import { chosenStoreRoot } from "../store-root.js";
import { withSystemDirectories } from "../system-path.js";
import { shortDigest } from "../image/digest.js";
import { ImageStore, progressPrinter, type Freed } from "../image/store.js";
import { pruneContainers } from "../runtime/cleanup.js";
import { openEventLog } from "../runtime/events.js";
import { DEFAULT_SUBNET } from "../runtime/host-network.js";
import { hostSteps } from "../runtime/host-steps.js";
import { execInContainer } from "../runtime/exec.js";
import { runContainer, type RunContext, type RunOptions } from "../runtime/run.js";
import { imagesInUse, isRunning, StateStore } from "../runtime/state.js";
import { setTrace } from "#native";
import { interruptible } from "./interrupt.js";
import { all, last, parseOptions, type OptionSpec } from "./options.js";
import { parseCpus, parseEnv, parseHostname, parseMemory, parseNetwork, parsePids, parsePorts, parseVolume } from "./parse-values.js";
import { table } from "./table.js";

export const USAGE = `Usage: container [--impl exercises|solutions|DIR] [--root DIR] [--trace FILE] [--events FILE] [--debug] COMMAND

Commands:
  run [OPTIONS] IMAGE [CMD [ARG...]]   run a command in a new container (pulls the image if needed)
  exec [-t] ID CMD [ARG...]           run a command in a running container (ids: \`container ps\`)
  pull REF                            pull an image from a registry (Docker Hub by default)
  import FILE [--tag NAME]            import a \`docker save\` archive or an OCI image layout
  images                              list local images
  rmi [--force] REF                   remove an image (--force: one a container uses, once it exits)
  ps                                  list running containers
  prune                               remove what crashed runs left behind

Run options:
  --hostname NAME          the container's hostname (default: its id)
  --memory SIZE            memory limit, e.g. 100M, 1G
  --cpus N                 CPU limit, e.g. 0.5
  --pids N                 process limit
  -v, --volume HOST:CTR[:ro]   bind-mount a host path (repeatable)
  -e, --env NAME=VALUE     set an environment variable (repeatable)
  --net none|host|bridge   network (default bridge)
  --subnet CIDR            the bridge's subnet (default ${DEFAULT_SUBNET}, or CONTAINER_SUBNET)
  --pivot-root             change root with pivot_root instead of chroot (bonus step)
  --overlay                run on an overlay of the image's layers, leaving the image untouched (bonus step)
  --privileged             keep all of root's capabilities and no seccomp filter (the privileges bonus step confines containers otherwise)
  -t, --tty                give the command a terminal of its own, from the container's /dev/pts (bonus step; exec takes it too)
  --userns                 root in the container is an unprivileged range of ids on the host (bonus step)
  -p, --publish HOST_PORT:CTR_PORT[/tcp|udp]   publish a container's port on the host's addresses (repeatable; bonus step)
  --init                   keep an init process as PID 1 that runs the command, passes signals on and reaps orphans (bonus step)

Exit status: the command's own; 125 runtime error, 126 not executable, 127 not found, 128+N killed by signal N.`;

const GLOBAL: OptionSpec[] = [
  { names: ["--impl"], value: true },
  { names: ["--root"], value: true },
  { names: ["--trace"], value: true },
  { names: ["--events"], value: true },
  { names: ["--debug"], value: false },
  { names: ["--help", "-h"], value: false },
];

const RUN: OptionSpec[] = [
  { names: ["--hostname"], value: true },
  { names: ["--memory", "-m"], value: true },
  { names: ["--cpus"], value: true },
  { names: ["--pids"], value: true },
  { names: ["--volume", "-v"], value: true },
  { names: ["--env", "-e"], value: true },
  { names: ["--net", "--network"], value: true },
  { names: ["--subnet"], value: true },
  { names: ["--pivot-root"], value: false },
  { names: ["--overlay"], value: false },
  { names: ["--privileged"], value: false },
  { names: ["--tty", "-t", "-it", "-ti"], value: false },
  { names: ["--userns"], value: false },
  { names: ["--init"], value: false },
  { names: ["--publish", "-p"], value: true },
  // Accepted for Docker users' muscle memory: the container always shares our stdin, and is
  // always removed when it exits.
  { names: ["--interactive", "-i"], value: false },
  { names: ["--rm"], value: false },
  { names: ["--help", "-h"], value: false },
];

const EXEC: OptionSpec[] = [
  { names: ["--tty", "-t", "-it", "-ti"], value: false },
  { names: ["--interactive", "-i"], value: false },
  { names: ["--help", "-h"], value: false },
];

export interface Launch {
  /** The bundled init program (see bin/lib/launch.mjs). */
  initScript: string;
}

/** Runs the command line and returns the exit status. Errors are printed as one line (a stack with --debug). */
export function main(argv: string[], launch: Launch): Promise<number> {
  process.env.PATH = withSystemDirectories(process.env.PATH);
  return reportErrors("container", argv.includes("--debug"), () => dispatch(argv, launch));
}

async function dispatch(argv: string[], launch: Launch): Promise<number> {
  const global = parseOptions(argv, GLOBAL, "", true);
  const [command, ...rest] = global.positionals;
  if (!command || last(global, "--help")) {
    process.stdout.write(`${USAGE}\n`);
    return command || last(global, "--help") ? 0 : 2;
  }
  const root = chosenStoreRoot(last(global, "--root"));
  const trace = last(global, "--trace");
  if (trace) {
    // Absolute, so the init process can open it before it changes root; exported, so it traces too.
    process.env.WORKSHOP_TRACE = resolve(trace);
    setTrace(process.env.WORKSHOP_TRACE);
  }
  const images = new ImageStore(root);
  const states = new StateStore(root);
  const subnet = process.env.CONTAINER_SUBNET ?? DEFAULT_SUBNET;
  switch (command) {
    case "run": {
      requireRoot("run");
      // Absolute, like --trace, so that the init process appends to the same file.
      const eventsFile = last(global, "--events");
      const events = openEventLog(eventsFile && resolve(eventsFile));
      try {
        return await interruptible((signal) => run(rest, { ...launch, events, eventsFile: eventsFile && resolve(eventsFile) }, root, images, subnet, signal));
      } finally {
        events.close();
      }
    }
    case "exec": {
      requireRoot("exec");
      const parsed = parseOptions(rest, EXEC, "exec", true);
      if (last(parsed, "--help")) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
      }
      const [id, ...command] = parsed.positionals;
      if (!id || command.length === 0) throw new UserError(`\`container exec\` needs ${id ? "a command" : "a container id and a command"}`, "e.g. container exec ID /bin/sh (`container ps` lists the ids)");
      const eventsFile = last(global, "--events");
      const events = openEventLog(eventsFile && resolve(eventsFile));
      try {
        return await execInContainer(
          { impl: hostSteps, events, eventsFile: eventsFile && resolve(eventsFile), root, initScript: launch.initScript, warn: (line) => process.stderr.write(`${line}\n`) },
          id,
          { args: command, tty: parsed.options.has("--tty") },
        );
      } finally {
        events.close();
      }
    }
    case "pull": {
      requireRoot("pull");
      const [ref] = expectArgs(rest, ["REF"], "pull");
      const image = await interruptible((signal) => images.pull(ref, { progress: progressPrinter(process.stderr), signal, buildOffline: warnOffline }));
      // NAME:TAG@DIGEST; a ref pulled by digest already is one.
      process.stdout.write(`${image.ref.includes("@") ? image.ref : `${image.ref}@${image.digest}`}\n`);
      return 0;
    }
    case "import": {
      requireRoot("import");
      const parsed = parseOptions(rest, [{ names: ["--tag", "-t"], value: true }], "import", false);
      const [file] = expectArgs(parsed.positionals, ["FILE"], "import");
      const tag = last(parsed, "--tag");
      for (const image of await images.import(file, tag ? { tag } : {})) process.stdout.write(`imported ${image.ref}@${image.digest}\n`);
      return 0;
    }
    case "images":
      requireRoot("images", STORE_IS_ROOTS);
      expectArgs(rest, [], "images");
      process.stdout.write(
        table(
          ["NAME", "TAG", "DIGEST", "SIZE"],
          images.list().map((i) => [i.name, i.tag, shortDigest(i.digest), formatSize(i.size), ...(i.builtFrom ? [`built here from ${i.builtFrom}, not pulled`] : [])]),
        ),
      );
      return 0;
    case "rmi": {
      requireRoot("rmi");
      const parsed = parseOptions(rest, [{ names: ["--force", "-f"], value: false }], "rmi", false);
      const [ref] = expectArgs(parsed.positionals, ["REF"], "rmi");
      const inUse = imagesInUse(states);
      const { waitingFor } = images.remove(ref, { force: parsed.options.has("--force"), usersOf: (digest) => inUse.get(digest) ?? [] });
      if (waitingFor.length === 0) process.stdout.write(`removed ${ref}\n`);
      else {
        const them = waitingFor.length > 1 ? `containers ${waitingFor.join(", ")} have` : `container ${waitingFor[0]} has`;
        process.stdout.write(`untagged ${ref}: the image is removed once ${them} exited\n`);
      }
      return 0;
    }
    case "ps":
      requireRoot("ps", STORE_IS_ROOTS);
      expectArgs(rest, [], "ps");
      process.stdout.write(
        table(
          ["CONTAINER ID", "IMAGE", "COMMAND", "PID", "HOSTNAME", "ADDRESS"],
          states
            .list()
            .filter(isRunning)
            .map((s) => [s.id, s.image, JSON.stringify(s.command.join(" ")), String(s.pid ?? "-"), s.hostname, s.bridge?.address.split("/")[0] ?? "-"]),
        ),
      );
      return 0;
    case "prune": {
      requireRoot("prune");
      expectArgs(rest, [], "prune");
      const removed = pruneContainers(states, root);
      const lines = describePrune(removed.containers, removed.images, images.prune());
      process.stdout.write(`${lines.length ? lines.join("\n") : "nothing to remove"}\n`);
      return 0;
    }
    default:
      throw new UserError(`unknown command "${command}"`, "see `container --help`");
  }
}

/**
 * Until the container exists, `signal` (Ctrl-C) stops the run where it is; from then on the
 * runtime passes signals on to the container, and cleans up after it as usual.
 */
async function run(args: string[], launch: Launch & Pick<RunContext, "events" | "eventsFile">, root: string, images: ImageStore, defaultSubnet: string, signal: AbortSignal): Promise<number> {
  const parsed = parseOptions(args, RUN, "run", true);
  if (last(parsed, "--help")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [ref, ...command] = parsed.positionals;
  if (!ref) throw new UserError("`container run` needs an image", "e.g. container run alpine /bin/sh");
  const memory = last(parsed, "--memory");
  const cpus = last(parsed, "--cpus");
  const pids = last(parsed, "--pids");
  const hostname = last(parsed, "--hostname");
  const network = parseNetwork(last(parsed, "--net") ?? "bridge");
  const options: RunOptions = {
    args: command,
    hostname: hostname === undefined ? undefined : parseHostname(hostname),
    limits: {
      memory: memory === undefined ? undefined : parseMemory(memory),
      cpus: cpus === undefined ? undefined : parseCpus(cpus),
      pids: pids === undefined ? undefined : parsePids(pids),
    },
    volumes: all(parsed, "--volume").map(parseVolume),
    env: all(parsed, "--env").map(parseEnv),
    network,
    subnet: last(parsed, "--subnet") ?? defaultSubnet,
    pivotRoot: parsed.options.has("--pivot-root"),
    overlay: parsed.options.has("--overlay"),
    privileged: parsed.options.has("--privileged"),
    tty: parsed.options.has("--tty"),
    userns: parsed.options.has("--userns"),
    init: parsed.options.has("--init"),
    ports: parsePorts(all(parsed, "--publish"), network),
  };
  refuseWithUserns(options);
  const image = images.resolve(ref) ?? (await images.pull(ref, { progress: progressPrinter(process.stderr), signal, buildOffline: warnOffline }));
  const stopIfInterrupted = () => {
    if (signal.aborted) throw new UserError("interrupted before the container started", "nothing was left behind", 130);
  };
  stopIfInterrupted();
  return runContainer(
    {
      impl: hostSteps,
      events: launch.events,
      eventsFile: launch.eventsFile,
      root,
      initScript: launch.initScript,
      warn: (line) => process.stderr.write(`${line}\n`),
      // Unpacking layers for --overlay can take a while the first time.
      layerDirs: async (i) => {
        const dirs = await images.layerDirs(i);
        stopIfInterrupted();
        return dirs;
      },
    },
    image,
    options,
  );
}

/** Offline, `busybox` is built from this machine's static busybox: the store says so in this line. */
const warnOffline = (notice: string) => process.stderr.write(`container: ${notice}\n`);

const STORE_IS_ROOTS = "the store is root's alone, since it holds the images' files";

function requireRoot(command: string, why = "namespaces, mounts and cgroups are root's to change"): void {
  if (process.getuid?.() !== 0) {
    throw new UserError(`\`container ${command}\` needs root: ${why}`, "run it with sudo, or inside the workshop's devcontainer");
  }
}

function expectArgs<const Names extends readonly string[]>(args: string[], names: Names, command: string): { [K in keyof Names]: string } {
  if (args.length !== names.length) {
    const usage = `container ${command}${names.map((n) => ` ${n}`).join("")}`;
    throw new UserError(args.length < names.length ? `missing ${names[args.length]}` : `unexpected argument "${args[names.length]}"`, `usage: ${usage}`);
  }
  return args as unknown as { [K in keyof Names]: string };
}

/** What `container prune` removed, a line for containers, one per image, one for the store's files. */
function describePrune(containers: string[], released: string[], freed: Freed): string[] {
  const lines = containers.length ? [`removed ${containers.join(", ")}`] : [];
  for (const digest of released) lines.push(`removed image ${shortDigest(digest)}, which rmi --force left to its containers`);
  const counted = (n: number, one: string, many: string) => (n === 0 ? [] : [`${n} ${n === 1 ? one : many}`]);
  const parts = [
    ...counted(freed.blobs, "blob no image uses", "blobs no image uses"),
    ...counted(freed.layerDirs, "layer directory no image uses", "layer directories no image uses"),
    ...counted(freed.scratch, "leftover of an interrupted pull or import", "leftovers of interrupted pulls or imports"),
  ];
  if (parts.length) lines.push(`freed ${formatSize(freed.bytes)}: ${parts.join(", ")}`);
  return lines;
}

function formatSize(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)}GB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)}MB`;
  return `${Math.ceil(bytes / 2 ** 10)}KB`;
}

/**
 * What --userns does not combine with. The host's network namespace belongs to the host's user
 * namespace: root in the container could not use it (Docker refuses it too). An overlay would need
 * each layer idmapped and the overlay mounted inside the user namespace: not done here.
 */
function refuseWithUserns(options: RunOptions): void {
  if (!options.userns) return;
  if (options.network === "host") throw new UserError("--userns cannot share the host's network (--net host)", "use --net bridge or --net none with --userns");
  if (options.overlay) throw new UserError("--userns does not work with --overlay yet", "drop one of them: --userns runs on the image's files, idmapped");
}
