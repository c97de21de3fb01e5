// `container run -t`, end to end in a real terminal: tmux, keys sent as a person types them, the
// screen read back. The command gets /dev/pts/0 of the container's own devpts, the window's size
// and its changes, Ctrl-C; and the user's terminal is as it was after the command is killed.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sandboxed } from "../../app/sandbox/sandbox.js";
import { eventually, Workspace } from "../helpers/container.js";
import { requireProgram, requireRoot } from "../helpers/requirements.js";
import { Terminal } from "../helpers/tmux.js";

const ws = new Workspace();
const work = mkdtempSync(join(tmpdir(), "terminal-test-"));
const terminal = new Terminal();
const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

async function shows(pattern: RegExp, timeout = 20_000): Promise<void> {
  await vi.waitFor(() => expect(terminal.screen()).toMatch(pattern), { timeout, interval: 50 });
}

beforeAll(() => ws.pull());
afterAll(async () => {
  terminal.close();
  // A container still running when a test failed goes with its CLI (SIGHUP): wait until it has.
  await eventually(() => (ws.leftovers().length === 0 ? true : undefined)).catch(() => undefined);
  try {
    ws.cleanUp();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

/** Starts `script` in a sandbox, in a new terminal of 100×30. */
function startInTerminal(script: string): void {
  const sandbox = sandboxed("sh", ["-c", script]);
  const env = Object.entries({ ...sandbox.env, ...ws.environment() }).map(([name, value]) => `${name}=${quote(value ?? "")}`);
  terminal.open(["env", "-i", ...env, ...[sandbox.command, ...sandbox.args].map(quote)].join(" "), { width: 100, height: 30 });
}

describe("container run -t in a terminal", () => {
  it("gives the command /dev/pts/0, the window's size as it changes, and Ctrl-C; killed, it leaves the terminal as it found it", async (ctx) => {
    requireRoot(ctx);
    requireProgram(ctx, "tmux", "tmux");
    // In a sandbox like every test's containers; the terminal's settings saved around the run.
    const script = `stty -g > ${work}/before; $CONTAINER run -t --net none ${ws.image} sh; echo "exit=$?"; stty -g > ${work}/after; echo saved; read line`;
    startInTerminal(script);

    await shows(/^\/ # ?$/m);
    terminal.type("tty; stty size");
    await shows(/^\/dev\/pts\/0\n30 100$/m);

    // The shell waits for its size to change, and says so first: the resize must come after.
    terminal.type('first=$(stty size); echo "size was $first"; while [ "$(stty size)" = "$first" ]; do sleep 0.05; done; echo "size is $(stty size)"');
    await shows(/^size was 30 100$/m);
    terminal.run("resize-window", "-t", terminal.session, "-x", "90", "-y", "20");
    await shows(/^size is 20 90$/m);

    terminal.type("echo sleeping; sleep 100");
    await shows(/^sleeping$/m);
    terminal.keys("C-c");
    terminal.type('echo "sleep ended with $?"');
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
    terminal.type("tty; stty size");
    await shows(/^\/dev\/pts\/0\n30 100$/m);
    terminal.type("kill -9 $$");
    await shows(/exit=137\ncontainer ended with 0$/m);
    expect(readFileSync(join(work, "after-exec"), "utf8")).toBe(readFileSync(join(work, "before-exec"), "utf8"));
    expect(ws.leftovers()).toEqual([]);
  }, 60_000);
});
