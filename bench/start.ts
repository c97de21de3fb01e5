// Part 1, container start: `container run IMAGE /bin/true` against the floor of this design and
// the runtimes people would use instead; also the CLI's memory while a container runs (part 4).
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { removeParent } from "../app/checks/cgroup-tree.js";
import { buildBusyboxLayout } from "../app/image/busybox-image.js";
import { ImageStore, type ImageRecord } from "../app/image/store.js";
import { sandboxed } from "../app/sandbox/sandbox.js";
import { removeCgroupEverywhere } from "./cleanup.js";
import { roundsFor, type BenchContext } from "./context.js";
import type { Figure, PartResult } from "./report.js";
import type { MemorySample, StartRunnerConfig, StartRunnerOutput, StartVariant } from "./start-runner.js";
import { pairedRatios, summarise } from "./stats.js";

const IMAGE = "bench/busybox:latest";
const START_TARGET = 1.3;
const MEMORY_TARGET_MB = 80;

const LABELS: Record<StartVariant, string> = {
  container: "container run (bridge network)",
  containerNoNet: "container run --net none",
  floor: "floor: 2 × node loading #native",
  runc: "runc run",
  bwrap: "bwrap",
  unshare: "unshare + chroot",
};

export async function benchContainers(ctx: BenchContext): Promise<{ start: PartResult; memory: Figure[] }> {
  const image = await importBusybox(ctx);
  const cgroupParent = `workshop-bench-${process.pid}`;
  const runcCgroup = `workshop-bench-${process.pid}-runc`;
  ctx.cleanup.defer(`remove the containers' cgroup parent ${cgroupParent}`, () => removeParent(cgroupParent));
  // runc puts a container in every hierarchy mounted (v1), not only memory, cpu and pids.
  ctx.cleanup.defer(`remove runc's cgroups ${runcCgroup}`, () => removeCgroupEverywhere(runcCgroup));
  const { rounds, warmup } = roundsFor(ctx, 40, 8, 3);
  const config: StartRunnerConfig = {
    rounds,
    warmup,
    memoryRuns: ctx.quick ? 2 : 5,
    container: join(ctx.repo, "bin/container"),
    image: IMAGE,
    rootfs: image.rootfs,
    // The sandbox's bridge is its own, so its address reservations go in the store too, not in the machine's /run.
    env: { CONTAINER_ROOT: join(ctx.work, "store"), CONTAINER_RUN_DIR: join(ctx.work, "store", "run"), CONTAINER_CGROUP_PARENT: cgroupParent, PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin" },
    floor: ctx.programs.floor,
    runc: { bundle: runcBundle(ctx, image.rootfs, `/${runcCgroup}/bench`), state: join(ctx.work, "runc-state") },
  };
  ctx.log(`Container start: ${rounds} rounds after ${warmup} warm-up rounds, in one host sandbox`);
  const output = await runInSandbox(ctx.programs.startRunner, config);
  return { start: startPart(output.samples, rounds), memory: memoryFigures(output.memory) };
}

function startPart(samples: Record<StartVariant, number[]>, rounds: number): PartResult {
  const references: StartVariant[] = ["floor", "runc", "bwrap", "unshare"];
  const subject = (variant: StartVariant): Figure => {
    const ratios = references.map((ref) => ({ against: LABELS[ref], ratio: summarise(pairedRatios(samples[variant], samples[ref])) }));
    const floor = ratios[0]!.ratio.median;
    return { name: LABELS[variant], unit: "ms", value: summarise(samples[variant]), ratios, target: { text: `≤ ${START_TARGET}× floor`, met: floor <= START_TARGET } };
  };
  return {
    title: "1. Container start",
    method:
      `\`container --impl solutions run IMAGE /bin/true\` from fork to exit, through \`bin/container\` as a user runs it, ` +
      `against the same rootfs under runc (\`runc spec\`, read-only root, no terminal), bwrap and \`unshare --fork ... chroot\`; ` +
      `the floor is two Node processes, one after the other, each loading the bundled \`#native\` (koffi, libc) and making one call. ` +
      `${rounds} rounds, each running every variant once in rotating order, inside one host sandbox; ratios are taken round by round.`,
    figures: [subject("containerNoNet"), subject("container"), ...references.map((ref) => ({ name: LABELS[ref], unit: "ms" as const, value: summarise(samples[ref]), ratios: [] }))],
    notes: [],
  };
}

function memoryFigures(samples: MemorySample[]): Figure[] {
  const pick = (key: keyof MemorySample) => samples.map((s) => s[key]);
  const figure = (name: string, cli: keyof MemorySample, floor: keyof MemorySample, targeted: boolean): Figure => ({
    name,
    unit: "MB",
    value: summarise(pick(cli)),
    ratios: [{ against: "node loading #native (same measure)", ratio: summarise(pairedRatios(pick(cli), pick(floor))) }],
    ...(targeted ? { target: { text: `< ${MEMORY_TARGET_MB} MB`, met: summarise(pick(cli)).median < MEMORY_TARGET_MB } } : {}),
  });
  return [figure("`container run` while `sleep` runs: VmHWM (peak)", "cliPeak", "floorPeak", true), figure("`container run` while `sleep` runs: VmRSS", "cliNow", "floorNow", true)];
}

/** The busybox test image, imported into a fresh store under the run's work directory. */
async function importBusybox(ctx: BenchContext): Promise<ImageRecord> {
  const layout = join(ctx.work, "busybox-layout");
  await buildBusyboxLayout(layout, { tag: "latest" });
  const [image] = await new ImageStore(join(ctx.work, "store")).import(layout, { tag: IMAGE });
  if (!image) throw new Error("importing the busybox image gave no image");
  return image;
}

/** A runc bundle for the same rootfs: `runc spec`'s defaults, read-only root, no terminal, /bin/true. */
function runcBundle(ctx: BenchContext, rootfs: string, cgroupsPath: string): string {
  const bundle = join(ctx.work, "runc-bundle");
  mkdirSync(bundle);
  execFileSync("runc", ["spec", "--bundle", bundle]);
  const spec = JSON.parse(readFileSync(join(bundle, "config.json"), "utf8"));
  spec.root = { path: rootfs, readonly: true };
  spec.process.terminal = false;
  spec.process.args = ["/bin/true"];
  spec.linux.cgroupsPath = cgroupsPath;
  writeFileSync(join(bundle, "config.json"), JSON.stringify(spec, null, 2));
  return bundle;
}

async function runInSandbox(runner: string, config: StartRunnerConfig): Promise<StartRunnerOutput> {
  const sandbox = sandboxed(process.execPath, [runner, JSON.stringify(config)]);
  const child = spawn(sandbox.command, sandbox.args, { env: { ...sandbox.env, PATH: config.env.PATH }, stdio: ["ignore", "pipe", "inherit"] });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  const status = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  if (status !== 0) throw new Error(`the sandboxed container benchmark failed (exit ${status}); see its message above`);
  return JSON.parse(stdout) as StartRunnerOutput;
}
