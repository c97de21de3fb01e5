// The container part of the benchmark, run inside one host sandbox (app/sandbox/sandbox.ts) so
// that the sandbox's own start is paid once, not per run. Given a JSON config as its argument,
// it prints the samples as JSON on stdout; progress goes to stderr.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { interleave } from "./interleave.js";
import { timeCommand, type TimedCommand } from "./timing.js";

export interface StartRunnerConfig {
  rounds: number;
  warmup: number;
  memoryRuns: number;
  /** bin/container */
  container: string;
  /** The image's name in the store, and its unpacked root filesystem. */
  image: string;
  rootfs: string;
  env: { CONTAINER_ROOT: string; CONTAINER_RUN_DIR: string; CONTAINER_CGROUP_PARENT: string; PATH: string };
  /** The bundled floor program (bench/floor.ts). */
  floor: string;
  runc: { bundle: string; state: string };
}

export type StartVariant = "container" | "containerNoNet" | "floor" | "runc" | "bwrap" | "unshare";

export interface MemorySample {
  /** Peak and current resident set of the `container run` process, in MB, while `sleep` runs in the container. */
  cliPeak: number;
  cliNow: number;
  /** The same of the floor program, once it has loaded the syscall layer. */
  floorPeak: number;
  floorNow: number;
}

export interface StartRunnerOutput {
  samples: Record<StartVariant, number[]>;
  memory: MemorySample[];
}

const config = JSON.parse(process.argv[2] ?? "{}") as StartRunnerConfig;
const node = process.execPath;
const containerRun = (...args: string[]): TimedCommand => ({
  command: node,
  args: [config.container, "--impl", "solutions", "run", ...args, config.image, "/bin/true"],
  env: config.env,
});
let runcRuns = 0;

try {
  const samples = await interleave<StartVariant>(
    {
      container: () => timeCommand(containerRun()),
      containerNoNet: () => timeCommand(containerRun("--net", "none")),
      floor: () => timeCommand({ command: node, args: [config.floor] }) + timeCommand({ command: node, args: [config.floor] }),
      runc: () => timeCommand({ command: "runc", args: ["--root", config.runc.state, "run", "--bundle", config.runc.bundle, `bench-${runcRuns++}`] }),
      bwrap: () =>
        timeCommand({
          command: "bwrap",
          args: ["--unshare-pid", "--unshare-uts", "--unshare-ipc", "--unshare-net", "--bind", config.rootfs, "/", "--proc", "/proc", "--dev", "/dev", "/bin/true"],
        }),
      unshare: () => timeCommand({ command: "unshare", args: ["--fork", "--pid", "--uts", "--mount", "--net", "--ipc", "chroot", config.rootfs, "/bin/true"] }),
    },
    { rounds: config.rounds, warmup: config.warmup, onRound: (done, total) => process.stderr.write(`\r  container start: round ${done}/${total} `) },
  );
  process.stderr.write("\n");
  const memory: MemorySample[] = [];
  for (let i = 0; i < config.memoryRuns; i++) memory.push(await measureMemory());
  process.stdout.write(JSON.stringify({ samples, memory } satisfies StartRunnerOutput));
} catch (error) {
  process.stderr.write(`\n  ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

/** `container run IMAGE sleep`: reads the CLI's memory once the container's command is running. */
async function measureMemory(): Promise<MemorySample> {
  const floor = spawn(node, [config.floor, "--hold"], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise((resolve) => floor.stdout.once("data", resolve));
  const floorStatus = memoryOf(floor.pid!);
  floor.kill("SIGKILL");

  const cli = spawn(node, [config.container, "--impl", "solutions", "run", "--net", "none", config.image, "sleep", "2"], { env: config.env, stdio: "inherit" });
  const exited = new Promise((resolve) => cli.once("exit", resolve));
  const deadline = Date.now() + 10_000;
  while (!childrenOf(cli.pid!).some((pid) => commandOf(pid) === "sleep")) {
    if (Date.now() > deadline || cli.exitCode !== null) throw new Error("the container's sleep never started");
    await sleep(5);
  }
  const cliStatus = memoryOf(cli.pid!);
  await exited;
  if (cli.exitCode !== 0) throw new Error(`container run ... sleep 2 exited with ${cli.exitCode}`);
  return { cliPeak: cliStatus.peak, cliNow: cliStatus.now, floorPeak: floorStatus.peak, floorNow: floorStatus.now };
}

function memoryOf(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { peak: kb("VmHWM") / 1024, now: kb("VmRSS") / 1024 };
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(" ").filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

function commandOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return undefined;
  }
}
