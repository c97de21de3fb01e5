import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runScript } from "../helpers/node-script.js";

const script = (name: string) => join(import.meta.dirname, "scripts", `${name}.ts`);

let temp: string;
beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), "processes-"));
});
afterEach(() => rmSync(temp, { recursive: true, force: true }));

describe("signal dispositions across execve", () => {
  it("as Node leaves them, SIGPIPE and SIGXFSZ stay ignored in the program it execs: `yes | head -1` complains of a broken pipe", async () => {
    const result = await runScript(script("signals"), [temp, "inherit"]);
    expect(result.stdout).toBe("SigIgn:\t0000000001001000\ny\n");
    expect(result.stderr).toMatch(/^yes: .*Broken pipe\nyes exit 1\nhead: .*File too large\nhead exit 1\n$/);
  });

  it("reset to their defaults, the program dies of them quietly, as it would on a terminal", async () => {
    const result = await runScript(script("signals"), [temp, "reset"]);
    expect(result.stdout).toBe("SigIgn:\t0000000000000000\ny\n");
    // The shell names the signal that killed head (dash: "File size limit exceeded"); nothing says "Broken pipe".
    expect(result.stderr).toMatch(new RegExp(`^yes exit ${128 + 13}\n(.*File size limit exceeded.*\n)?head exit ${128 + 25}\n$`));
  });
});

describe("waitpid", () => {
  it("reaps orphans as a subreaper: exit codes, signals, stop and continue; WNOHANG does not wait; ECHILD when none is left", async () => {
    const result = await runScript(script("waitpid"));
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout);
    const sleeper = report.sleeper;
    expect(report).toEqual({
      sleeper,
      stillRunning: "undefined",
      stopped: { pid: sleeper, state: "stopped", signal: 19 },
      continued: { pid: sleeper, state: "continued" },
      terminated: { pid: sleeper, state: "killed", signal: 15, coreDumped: false },
      others: expect.arrayContaining([
        { state: "exited", code: 7 },
        { state: "killed", signal: 9, coreDumped: false },
      ]),
      noneLeft: { code: "ECHILD", hint: expect.stringMatching(/reaped already/) },
    });
  });
});
