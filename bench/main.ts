// `npm run bench`: how fast the workshop answers and how fast its runtime starts, each measured
// beside what people would use instead, as ratios (see docs/performance.md).
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeError, UserError } from "../app/errors.js";
import { cgroupsNamedAfter, Cleanup } from "./cleanup.js";
import type { BenchContext } from "./context.js";
import { describeMachine } from "./machine.js";
import { benchPull } from "./pull.js";
import { printPart, writePage, type Figure, type PartResult } from "./report.js";
import { benchContainers } from "./start.js";
import { benchApp } from "./app.js";
import { benchRoom } from "./room.js";

export const USAGE = `Usage: npm run bench -- [--quick] [--only start,feedback,pull,app,room] [--debug]

Measures container start, check feedback, pull and the app beside the tools people would pick
instead, and the room under 200 learners, prints each figure with its ratio, and rewrites the
results in docs/performance.md.
  --quick        fewer rounds (a rough look in about a minute)
  --only PARTS   run only these parts (docs/performance.md is then left alone)
  --debug        a stack trace with an error`;

const PARTS = ["start", "feedback", "pull", "app", "room"] as const;
type Part = (typeof PARTS)[number];

/** The bundled programs bin/bench hands over; `feedback` only once the checks exist. */
export type Programs = BenchContext["programs"] & { feedback?: string };

// Debian packages of the programs the benchmark runs (.ci/run installs them).
const TOOLS: Record<string, string> = {
  runc: "runc",
  bwrap: "bubblewrap",
  skopeo: "skopeo",
  umoci: "umoci",
  tmux: "tmux",
  unshare: "util-linux",
  "docker-registry": "docker-registry",
};

export async function main(argv: string[], repo: string, programs: Programs): Promise<number> {
  const cleanup = new Cleanup();
  // Interrupted, or crashed in code it calls: what was created is removed all the same.
  const abandon = (why: string, status: number) => {
    process.stderr.write(`\nbench: ${why}: cleaning up\n`);
    void cleanUp(cleanup).then(() => process.exit(status));
  };
  process.once("SIGINT", () => abandon("interrupted", 130)).once("SIGTERM", () => abandon("terminated", 143));
  process.once("uncaughtException", (error) => abandon(`crashed: ${error.stack ?? error.message}`, 1));
  process.once("unhandledRejection", (reason) => abandon(`crashed: ${reason instanceof Error ? reason.stack : String(reason)}`, 1));
  try {
    const { quick, only, help } = parseArgs(argv.filter((a) => a !== "--debug"));
    if (help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    checkRequirements();
    const work = cleanup.directory(mkdtempSync(join(tmpdir(), "workshop-bench-")));
    const ctx: BenchContext = { repo, quick, cleanup, work, programs, log: (line) => process.stderr.write(`${line}\n`) };
    const machine = describeMachine();
    const started = new Date();
    const wanted = (part: Part) => !only || only.includes(part);
    const parts: PartResult[] = [];
    const show = (part: PartResult) => {
      parts.push(part);
      printPart(part, (line) => process.stdout.write(`${line}\n`));
    };

    let memory: Figure[] = [];
    if (wanted("start") || wanted("app")) {
      const containers = await benchContainers(ctx);
      if (wanted("start")) show(containers.start);
      memory = containers.memory;
    }
    if (wanted("feedback")) show(await benchFeedback(ctx, programs.feedback));
    if (wanted("pull")) show(await benchPull(ctx));
    if (wanted("app")) show(await benchApp(ctx, memory));
    if (wanted("room")) show(await benchRoom(ctx));

    if (!only) {
      writePage(join(repo, "docs/performance.md"), machine, started, parts, quick ? ["--quick"] : [], "# Performance");
      process.stdout.write("\nwritten to docs/performance.md\n");
    }
    return 0;
  } catch (error) {
    process.stderr.write(`bench: ${describeError(error)}\n`);
    if (argv.includes("--debug") && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return error instanceof UserError ? error.exitCode : 1;
  } finally {
    if (!(await cleanUp(cleanup))) process.exitCode = 1;
  }
}

/** Runs the clean-up and checks that no cgroup of this run is left; says what is. Returns whether all went. */
async function cleanUp(cleanup: Cleanup): Promise<boolean> {
  const left = [...(await cleanup.run()), ...cgroupsNamedAfter(process.pid).map((dir) => `cgroup ${dir} is left`)];
  for (const line of left) process.stderr.write(`bench: could not clean up: ${line}\n`);
  return left.length === 0;
}

function parseArgs(argv: string[]): { quick: boolean; only?: Part[]; help?: boolean } {
  let quick = false;
  let only: Part[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--quick") quick = true;
    else if (arg === "--only" || arg.startsWith("--only=")) {
      const list = arg === "--only" ? argv[++i] : arg.slice("--only=".length);
      only = (list ?? "").split(",").filter(Boolean) as Part[];
      const unknown = only.filter((p) => !PARTS.includes(p));
      if (unknown.length || !only.length) throw new UserError(`--only takes a list of ${PARTS.join(", ")}`, `got "${list ?? ""}"`, 2);
    } else if (arg === "--help" || arg === "-h") return { quick, help: true };
    else throw new UserError(`unknown option "${arg}"`, USAGE.split("\n")[0], 2);
  }
  return { quick, only };
}

function checkRequirements(): void {
  if (process.getuid?.() !== 0) throw new UserError("the benchmark needs root: it runs containers in a host sandbox", "run it with sudo, or inside the workshop's devcontainer");
  const missing = Object.entries(TOOLS).filter(([program]) => !onPath(program));
  if (missing.length) {
    throw new UserError(
      `the benchmark compares with programs that are not installed: ${missing.map(([p]) => p).join(", ")}`,
      `apt-get install ${[...new Set(missing.map(([, pkg]) => pkg))].join(" ")} (.ci/run installs them)`,
    );
  }
}

function onPath(program: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${program}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function benchFeedback(ctx: BenchContext, program: string | undefined): Promise<PartResult> {
  if (!program) return notYet("2. Feedback", "app/checks/index.ts (runStep) does not exist yet");
  const { benchFeedback: run } = (await import(program)) as { benchFeedback(ctx: BenchContext): Promise<PartResult> };
  return run(ctx);
}

function notYet(title: string, why: string): PartResult {
  return { title, method: "", figures: [], notes: [`not measurable yet: ${why}`] };
}
