// `workshop runc`: the same image, run by runc, the runtime Docker uses. Every step page ends with
// "How the real ones do it"; this is its "try it": a bundle made from `runc spec` and the store's
// root filesystem (read-only: runc is never given the store to write), with one field shown or set.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, lstatSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";
import { findOnPath } from "../given/find-on-path.js";
import { ImageStore } from "../image/store.js";
import { UserError } from "../errors.js";
import { editSpec, field, type Spec } from "../runc/spec-edits.js";
import { chosenStoreRoot } from "../store-root.js";
import { withSystemDirectories } from "../system-path.js";
import { parseVolume } from "./parse-values.js";
import { all, last } from "./options.js";
import { parseArgs, type Workspace } from "./workshop-args.js";

const USAGE = "workshop runc [--image REF] [--root DIR] [--exec] [--show FIELD]... [--set FIELD=VALUE]... [-v HOST:CTR[:ro]]... [--] [CMD [ARG...]]";

/** With --exec, what the container runs while `runc exec` runs CMD in it. */
const IDLE = ["sleep", "3600"];

const OPTIONS = [
  { names: ["--image"], value: true },
  { names: ["--root"], value: true },
  { names: ["--exec"], value: false },
  { names: ["--show"], value: true },
  { names: ["--set"], value: true },
  { names: ["-v", "--volume"], value: true },
];

export async function runcCommand(args: string[], { out }: Workspace): Promise<number> {
  const parsed = parseArgs(args, OPTIONS, "runc");
  const command = parsed.positionals;
  const shows = all(parsed, "--show");
  const exec = last(parsed, "--exec") === "true";
  if (command.length === 0 && shows.length === 0) throw new UserError("what should runc run?", `usage: ${USAGE}`, 2);
  const runc = findOnPath("runc", [`PATH=${withSystemDirectories(process.env.PATH)}`]);
  if (!runc) throw new UserError("runc is not installed", "apt-get install runc (the devcontainer has it)");
  const ref = last(parsed, "--image") ?? "busybox";
  const image = new ImageStore(chosenStoreRoot(last(parsed, "--root"))).resolve(ref);
  if (!image) throw new UserError(`image ${ref} is not in the store`, `pull it first: ./bin/container pull ${ref}`);
  const binds = all(parsed, "-v").map(parseVolume);
  // runc would create a missing mount point, and the root filesystem is the store's own.
  for (const bind of binds) mustExistInImage(image.rootfs, bind.target);

  const bundle = mkdtempSync(join(tmpdir(), "workshop-runc-"));
  try {
    const made = spawnSync(runc, ["spec", "--bundle", bundle], { encoding: "utf8" });
    if (made.status !== 0) throw new UserError(`runc spec failed: ${made.stderr.trim()}`, "see `runc --help`");
    const configFile = join(bundle, "config.json");
    const spec = editSpec(JSON.parse(readFileSync(configFile, "utf8")) as Spec, {
      rootfs: image.rootfs,
      args: exec ? IDLE : command,
      env: image.config.Env,
      sets: all(parsed, "--set"),
      binds: binds.map((b) => ({ source: b.source, destination: b.target, readOnly: b.readOnly })),
    });
    writeFileSync(configFile, `${JSON.stringify(spec, null, 2)}\n`);
    for (const path of shows) out.write(`${path} = ${JSON.stringify(field(spec, path)) ?? "(not set)"}\n`);
    if (command.length === 0) return 0;
    return await (exec ? execInBundle(runc, bundle, command) : runBundle(runc, bundle));
  } finally {
    rmSync(bundle, { recursive: true, force: true });
  }
}

function mustExistInImage(rootfs: string, target: string): void {
  let path = rootfs;
  for (const part of target.split("/").filter(Boolean)) {
    path = join(path, part);
    let isDirectory = false;
    try {
      const stat = lstatSync(path);
      isDirectory = stat.isDirectory();
    } catch {
      // missing: said below
    }
    if (!isDirectory) throw new UserError(`-v ${target}: the image has no directory ${target}`, "mount on a directory the image has, such as /tmp");
  }
}

const containerId = () => `workshop-${process.pid}`;

/** `runc run`, attached; Ctrl-C reaches runc, which passes it on to the container. */
function runBundle(runc: string, bundle: string): Promise<number> {
  return attached(runc, ["run", "--bundle", bundle, containerId()]);
}

/** The container started in the background, CMD run in it with `runc exec`, then the container deleted. */
async function execInBundle(runc: string, bundle: string, command: string[]): Promise<number> {
  // The container keeps runc's stdio: a pipe would stay open as long as it runs.
  const log = join(bundle, "run.log");
  const logFd = openSync(log, "w");
  const started = spawnSync(runc, ["run", "--detach", "--bundle", bundle, containerId()], { stdio: ["ignore", "ignore", logFd] });
  closeSync(logFd);
  try {
    if (started.status !== 0) throw new UserError(`runc run --detach failed: ${readFileSync(log, "utf8").trim()}`, "see `runc --help`");
    return await attached(runc, ["exec", containerId(), ...command]);
  } finally {
    spawnSync(runc, ["delete", "--force", containerId()], { stdio: "ignore" });
  }
}

/** runc with our terminal; Ctrl-C reaches runc, which passes it on to the container's process. */
function attached(runc: string, args: string[]): Promise<number> {
  const ignore = () => {};
  process.on("SIGINT", ignore);
  const child = spawn(runc, args, { stdio: "inherit" });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      process.off("SIGINT", ignore);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}
