// `workshop room` (the instructor's: a server on the local network and its dashboard),
// `workshop join URL --name NAME` and `workshop leave` (a learner's). The room's pieces are in
// app/room/; the dashboard is app/tui's, handed over by the program (app/workshop.ts).
import { join } from "node:path";
import { checksOf } from "../checks/index.js";
import { loadProgress, progressFile } from "../course/progress.js";
import { STEPS } from "../course/steps.js";
import { UserError } from "../errors.js";
import { joinRoom, leaveRoom, parseRoomUrl } from "../room/membership.js";
import { sanitiseName } from "../room/protocol.js";
import { doneSteps } from "../room/share.js";
import { RoomLink } from "../room/client.js";
import { newRoomCode, RoomServer } from "../room/server.js";
import { loadRoomFile, RoomSaver } from "../room/state-file.js";
import { RoomState, type RoomEvent } from "../room/state.js";
import type { statusReport } from "../room/view.js";
import { onStopSignals } from "../stop-signals.js";
import { last } from "./options.js";
import { parseArgs, type Workspace } from "./workshop-args.js";
import { hasRoomFlags, relaunchWithRoomFlags } from "./room-process.js";

/** The port a room listens on unless told otherwise (or the one it had before a restart). */
export const DEFAULT_PORT = 4711;

/** What the dashboard is given; app/tui draws it until the instructor quits or `stop` aborts. */
export interface DashboardOptions {
  state: RoomState;
  /** The command learners type, one per address of this machine. */
  joinCommands: string[];
  projector: boolean;
  /** The title of a check, by its id. */
  checkTitle(id: string): string;
  stop: AbortSignal;
}
export type OpenDashboard = (options: DashboardOptions) => Promise<void>;

const ROOM_USAGE = "usage: workshop room [--port N] [--host ADDRESS] [--state FILE] [--projector] | workshop room --status URL [--json]";

export async function roomCommand(args: string[], { repo, out }: Workspace, openDashboard?: OpenDashboard): Promise<number> {
  const parsed = parseArgs(
    args,
    [
      { names: ["--port"], value: true },
      { names: ["--host"], value: true },
      { names: ["--state"], value: true },
      { names: ["--projector"], value: false },
      { names: ["--status"], value: true },
      { names: ["--json"], value: false },
    ],
    "room",
  );
  if (parsed.positionals.length) throw new UserError(`unexpected argument "${parsed.positionals[0]}"`, ROOM_USAGE, 2);
  const status = last(parsed, "--status");
  if (status !== undefined) return printStatus(status, parsed.options.has("--json"), out);

  const dashboard = openDashboard !== undefined && process.stdout.isTTY && process.stdin.isTTY;
  if (dashboard && !hasRoomFlags()) return relaunchWithRoomFlags();
  const file = last(parsed, "--state") ?? join(repo, ".workshop", "room.json");
  const saved = loadRoomFile(file);
  const port = portOption(last(parsed, "--port")) ?? saved?.port ?? DEFAULT_PORT;
  const state = new RoomState();
  if (saved) state.restore(saved.learners);
  const code = saved?.code ?? newRoomCode();
  let server: RoomServer;
  try {
    server = await RoomServer.start({ state, code, port, host: last(parsed, "--host") });
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === "EADDRINUSE" ? `port ${port} is taken` : (error as Error).message;
    throw new UserError(`the room cannot listen: ${why}`, "pick another with --port N (--port 0: any free port)");
  }
  const saver = new RoomSaver(file, state, { code, port: server.port });
  saver.flush();
  const stopSaving = state.subscribe(saver.schedule);
  const joinCommands = server.joinUrls().map((url) => `workshop join ${url} --name YOUR-NAME`);
  out.write(`${joinCommands[0]}\n`);
  for (const other of joinCommands.slice(1)) out.write(`  or: ${other}\n`);

  const stop = new AbortController();
  const stopCatching = onStopSignals(() => stop.abort());
  try {
    if (dashboard) {
      await openDashboard({ state, joinCommands, projector: parsed.options.has("--projector"), checkTitle: titles(), stop: stop.signal });
    } else {
      out.write(`Room saved in ${file}; ${state.learners.size} learner(s) restored. One line per event; stop with Ctrl-C.\n`);
      const stopLogging = state.subscribe((event) => event && out.write(`${logLine(event)}\n`));
      await new Promise((resolve) => stop.signal.addEventListener("abort", resolve, { once: true }));
      stopLogging();
    }
  } finally {
    stopCatching();
    stopSaving();
    await server.stop();
    saver.flush();
  }
  return 0;
}

/** "12:03:04 ana checked 2: 3/5 passed, failing 2.pid-one: …" */
export function logLine(event: RoomEvent): string {
  return `${new Date(event.at).toTimeString().slice(0, 8)} ${event.learner} ${event.text}`;
}

function portOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UserError(`--port takes a port number, 0 to 65535 (got "${value}")`, ROOM_USAGE, 2);
  return port;
}

function titles(): (id: string) => string {
  const all = new Map(STEPS.flatMap((s) => checksOf(s.id).map((c) => [c.id, c.title] as const)));
  return (id) => all.get(id) ?? id;
}

async function printStatus(url: string, json: boolean, out: NodeJS.WritableStream): Promise<number> {
  const { status } = parseRoomUrl(url);
  let response: Response;
  try {
    response = await fetch(status, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new UserError(`the room at ${url} did not answer (${(error as Error).message})`, "is `workshop room` running, and is this machine on its network?");
  }
  if (response.status === 401) throw new UserError("the room refused the code in this URL", "copy the URL again from the room's first line");
  if (!response.ok) throw new UserError(`the room answered HTTP ${response.status}`, "is this the URL `workshop room` printed?");
  const report = (await response.json()) as ReturnType<typeof statusReport>;
  if (json) {
    out.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  // For a terminal: whatever the room sent, no escape sequence gets through.
  const cell = (value: unknown) => sanitiseName(String(value ?? ""), 80);
  for (const l of report.learners) out.write(`${cell(l.name)}\t${cell(l.step)}\t${cell(l.passed)}/${cell(l.total)}\t${cell(l.failing)}\n`);
  return 0;
}

const JOIN_USAGE = "usage: workshop join URL --name NAME";

/** `workshop join URL --name NAME`: remembered in the progress file; says whether the room answers. */
export async function joinCommand(args: string[], { repo, out }: Workspace): Promise<number> {
  const parsed = parseArgs(args, [{ names: ["--name"], value: true }], "join");
  const [url, ...extra] = parsed.positionals;
  if (url === undefined || extra.length) throw new UserError(url === undefined ? "which room?" : `unexpected argument "${extra[0]}"`, JOIN_USAGE, 2);
  const name = last(parsed, "--name");
  if (name === undefined) throw new UserError("a name is needed, as the instructor will see it", JOIN_USAGE, 2);
  const file = progressFile(repo);
  const room = joinRoom(file, url, name);
  const progress = loadProgress(file);
  const link = new RoomLink(room, { step: progress.currentStep, done: doneSteps(progress.passed, checksOf) });
  const reached = await link.connected(5000);
  await link.close();
  const where = parseRoomUrl(room.url).label;
  if (reached) out.write(`Joined the room at ${where} as ${room.name}: your app and \`workshop check\` now share your step and check results (never your code). \`workshop leave\` stops it.\n`);
  else {
    out.write(`Remembered the room at ${where} as ${room.name}, but it did not answer${link.refusal ? `: ${link.refusal}` : ""}. Your app and checks will keep trying; \`workshop leave\` stops it.\n`);
  }
  return 0;
}

/** `workshop leave`: tells the room (if it answers) and forgets it. */
export async function leaveCommand(args: string[], { repo, out }: Workspace): Promise<number> {
  if (args.length) throw new UserError(`unexpected argument "${args[0]}"`, "usage: workshop leave", 2);
  const room = leaveRoom(progressFile(repo));
  if (!room) {
    out.write("You are in no room.\n");
    return 0;
  }
  const link = new RoomLink(room, { step: "intro", done: [] });
  if (await link.connected(3000)) link.send({ t: "leave" });
  await link.close();
  out.write(`Left the room at ${parseRoomUrl(room.url).label}: nothing more is shared.\n`);
  return 0;
}
