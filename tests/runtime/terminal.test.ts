// `container run -t`, end to end in a real terminal: tmux, keys sent as a person types them, the
// screen read back. The command gets /dev/pts/0 of the container's own devpts, the window's size
// and its changes, Ctrl-C; and the user's terminal is as it was after the command is killed.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sandboxed } from "../../app/sandbox/sandbox.js";
import { eventually, Workspace } from "../helpers/container.js";
import { requireProgram, requireRoot } from "../helpers/requirements.js";

const ws = new Workspace();
const work = mkdtempSync(join(tmpdir(), "terminal-test-"));
// The server's socket in the test's directory, which goes with it (tmux leaves its socket behind).
const tmux = (...args: string[]) => execFileSync("tmux", ["-S", join(work, "tmux"), ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const screen = () => tmux("capture-pane", "-p", "-t", "tty");
const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

async function shows(pattern: RegExp, timeout = 20_000): Promise<void> {
  await vi.waitFor(() => expect(screen()).toMatch(pattern), { timeout, interval: 50 });
}

/** The line typed, then Enter. */
function type(line: string): void {
  tmux("send-keys", "-t", "tty", "-l", line);
  tmux("send-keys", "-t", "tty", "Enter");
}

beforeAll(() => ws.pull());
afterAll(async () => {
  try {
    tmux("kill-server");
  } catch {
    // no server left to kill
  }
  // A container still running when a test failed goes with its CLI (SIGHUP): wait until it has.
  await eventually(() => (ws.leftovers().length === 0 ? true : undefined)).catch(() => undefined);
  try {
    ws.cleanUp();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

/** Starts `script` in a sandbox, in a new tmux session "tty" of 100×30 (after the last test's, if any). */
function startInTerminal(script: string): void {
  try {
    tmux("kill-session", "-t", "tty");
  } catch {
    // none
  }
  const sandbox = sandboxed("sh", ["-c", script]);
  const env = Object.entries({ ...sandbox.env, ...ws.environment() }).map(([name, value]) => `${name}=${quote(value ?? "")}`);
  tmux("new-session", "-d", "-x", "100", "-y", "30", "-s", "tty", ["env", "-i", ...env, ...[sandbox.command, ...sandbox.args].map(quote)].join(" "));
}

describe("container run -t in a terminal", () => {
  it("gives the command /dev/pts/0, the window's size as it changes, and Ctrl-C; killed, it leaves the terminal as it found it", async (ctx) => {
    requireRoot(ctx);
    requireProgram(ctx, "tmux", "tmux");
    // In a sandbox like every test's containers; the terminal's settings saved around the run.
    const script = `stty -g > ${work}/before; $CONTAINER run -t --net none ${ws.image} sh; echo "exit=$?"; stty -g > ${work}/after; echo saved; read line`;
    startInTerminal(script);

    await shows(/^\/ # ?$/m);
    type("tty; stty size");
    await shows(/^\/dev\/pts\/0\n30 100$/m);

    // The shell waits for its size to change, and says so first: the resize must come after.
    type('first=$(stty size); echo "size was $first"; while [ "$(stty size)" = "$first" ]; do sleep 0.05; done; echo "size is $(stty size)"');
    await shows(/^size was 30 100$/m);
    tmux("resize-window", "-t", "tty", "-x", "90", "-y", "20");
    await shows(/^size is 20 90$/m);

    type("echo sleeping; sleep 100");
    await shows(/^sleeping$/m);
    tmux("send-keys", "-t", "tty", "C-c");
    type('echo "sleep ended with $?"');
    await shows(/^sleep ended with 130$/m);

    // The command, the container's PID 1, killed from the host.
    const ps = (await ws.run(["ps"])).stdout.split("\n")[1]?.split(/\s+/) ?? [];
    process.kill(Number(ps[3]), "SIGKILL");
    await shows(/exit=137\nsaved$/m);
    expect(readFileSync(join(work, "after"), "utf8")).toBe(readFileSync(join(work, "before"), "utf8"));
    expect(ws.leftovers()).toEqual([]);
  }, 60_000);

  it("exec -t: the exec'd command gets a terminal of its own; killed, it leaves the terminal as it found it", async (ctx) => {
    requireRoot(ctx);
    requireProgram(ctx, "tmux", "tmux");
    // A container to exec into, which ends on SIGTERM (its PID 1 handles it).
    const container = `$CONTAINER run --net none ${ws.image} sh -c 'trap "exit 0" TERM; echo ready; while :; do sleep 0.1; done' > ${work}/run.out 2>&1 & run=$!`;
    const ready = `until grep -q ready ${work}/run.out; do sleep 0.05; done; id=$($CONTAINER ps | awk 'NR == 2 { print $1 }')`;
    const attached = `stty -g > ${work}/before-exec; $CONTAINER exec -t "$id" sh; echo "exit=$?"; stty -g > ${work}/after-exec`;
    startInTerminal(`${container}; ${ready}; ${attached}; kill $run; wait $run; echo "container ended with $?"; read line`);

    await shows(/^\/ # ?$/m);
    type("tty; stty size");
    await shows(/^\/dev\/pts\/0\n30 100$/m);
    type("kill -9 $$");
    await shows(/exit=137\ncontainer ended with 0$/m);
    expect(readFileSync(join(work, "after-exec"), "utf8")).toBe(readFileSync(join(work, "before-exec"), "utf8"));
    expect(ws.leftovers()).toEqual([]);
  }, 60_000);
});
