// The real `workshop check` of learners who joined a room (each with a progress file of their
// own): the reference, a step half written (partial) and one with a mistake (mutant). What they
// share shows up on the instructor's dashboard and in `workshop room --status URL --json`.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { render } from "ink-testing-library";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { REPO } from "../../app/build/repo.mjs";
import { checksOf, ensureCheckImage } from "../../app/checks/index.js";
import { RoomDashboard } from "../../app/tui/room-dashboard.js";
import { collect } from "../helpers/container.js";
import { mutant, partial } from "../helpers/implementations.js";
import { requireRoot } from "../helpers/requirements.js";
import { startRoom } from "./support.js";

const work = mkdtempSync(join(tmpdir(), "workshop-room-checks-"));
const store = join(work, "store");
beforeAll(async () => {
  if (process.getuid?.() === 0) await ensureCheckImage(store);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `workshop ARGS` as learner `who`: their own progress file. */
const workshop = (who: string, ...args: string[]) =>
  collect(spawn(process.execPath, [join(REPO, "bin/workshop"), ...args], { env: { PATH: process.env.PATH, NO_COLOR: "1", WORKSHOP_PROGRESS: join(work, `${who}.json`) } }), { timeout: 120_000 });

const titles = new Map(checksOf("2").map((c) => [c.id, c.title]));

describe("a room fed by the real `workshop check`", () => {
  it("shows the reference's, a partial and a mistaken implementation's results on the dashboard and in --json", { timeout: 240_000 }, async (ctx) => {
    requireRoot(ctx);
    const room = await startRoom();
    const dashboard = render(<RoomDashboard state={room.state} joinCommands={[`workshop join ${room.url} --name YOUR-NAME`]} checkTitle={(id) => titles.get(id) ?? id} redrawMs={10} />);
    const impls = mkdtempSync(join(work, "impls-"));
    const learners = {
      Ref: "solutions",
      Partial: partial(impls, "namespaces.ts", "setHostname"),
      Mutant: mutant(impls, "namespaces.ts", [["CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWNS", "CLONE_NEWPID | CLONE_NEWNS"]]),
    };
    for (const name of Object.keys(learners)) {
      const joined = await workshop(name, "join", room.url, "--name", name);
      expect(joined.stdout).toMatch(new RegExp(`^Joined the room at 127\\.0\\.0\\.1:\\d+ as ${name}: `));
      expect(JSON.parse(readFileSync(join(work, `${name}.json`), "utf8")).room).toMatchObject({ url: room.url, name });
    }
    const runs = await Promise.all(Object.values(learners).map((impl, i) => workshop(Object.keys(learners)[i]!, "check", "2", "--impl", impl, "--root", store)));
    expect(runs.map((r) => r.status)).toEqual([0, 1, 1]);
    expect(runs.map((r) => r.stderr)).toEqual(["", "", ""]);

    const total = checksOf("2").length;
    const status = await collect(spawn(process.execPath, [join(REPO, "bin/workshop"), "room", "--status", room.url, "--json"], { env: { PATH: process.env.PATH } }));
    expect(status.status).toBe(0);
    const report = JSON.parse(status.stdout) as { learners: { name: string; step: string; passed: number; total: number; failing: string | null }[] };
    const byName = Object.fromEntries(report.learners.map((l) => [l.name, l]));
    expect(byName.Ref).toMatchObject({ step: "2", passed: total, total, failing: null });
    expect(byName.Partial).toMatchObject({ step: "2", total, failing: null });
    expect(byName.Partial!.passed).toBeLessThan(total);
    expect(byName.Mutant).toMatchObject({ step: "2", total, failing: expect.stringMatching(/^2\./) });
    expect(byName.Mutant!.passed).toBeLessThan(total);
    // The mistaken one is stuck: first on the dashboard, with its failing check's title.
    const frame = () => stripVTControlCharacters(dashboard.lastFrame() ?? "");
    await vi.waitFor(() => expect(frame()).toContain(titles.get(byName.Mutant!.failing!)), { timeout: 10_000 });
    const rows = frame().split("\n").filter((l) => /^[ ›] [✗✓◐○] /.test(l));
    expect(rows.map((r) => r.slice(4, 12).trim())).toEqual(["Mutant", expect.any(String), expect.any(String)]);
    expect(rows.find((r) => r.includes("Ref"))).toMatch(new RegExp(`Ref +2 +${total}/${total} `));
    expect(rows.find((r) => r.includes("Partial"))).toMatch(new RegExp(`Partial +2 +${byName.Partial!.passed}/${total} `));
    // Its failure's first line, with no path of this machine in it.
    dashboard.stdin.write("\r");
    await vi.waitFor(() => expect(frame()).toContain(`✗ ${titles.get(byName.Mutant!.failing!)}`), { timeout: 10_000 });
    const failure = frame().split("\n")[6]!.trim();
    expect(failure.length).toBeGreaterThan(0);
    expect(failure).not.toMatch(/\/tmp\/|\/root\/|\/home\//);
    dashboard.unmount();
  });
});
