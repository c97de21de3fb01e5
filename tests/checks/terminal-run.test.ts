// The checks' terminal (app/checks/terminal-run.ts): a probe that ends first closes it, and the
// program's end after that must neither write to the closed terminal nor wait on it.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { TerminalRun } from "../../app/checks/terminal-run.js";

describe("TerminalRun", () => {
  it("closed while its program runs: the run still ends, with what was shown before", async () => {
    const terminal = new TerminalRun({ rows: 24, columns: 80 }, (stdio) => spawn("sh", ["-c", "echo early; sleep 0.3; echo late"], { stdio }));
    expect(await terminal.waitFor(/^early$/m)).toBe(true);
    terminal.close();
    const result = await terminal.done;
    expect(result.output).toBe("early\n");
    expect(await terminal.waitFor(/late/)).toBe(false);
  });
});
