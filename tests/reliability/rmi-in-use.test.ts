// `container rmi` of an image that a running container was started from: refused, naming the
// container, like Docker; with --force the image outlives its name until its last container has
// exited, and goes then (with the run's own teardown, or with `prune` after a killed run).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventually, Workspace } from "../helpers/container.js";
import { requireRoot } from "../helpers/requirements.js";
import { storeSummary } from "../image/support.js";
import { SandboxShell } from "./sandbox-shell.js";

const ws = new Workspace();
let sh: SandboxShell;
let scratch: string;
beforeEach(async (ctx) => {
  requireRoot(ctx);
  await ws.pull();
  sh = new SandboxShell(ws);
  scratch = mkdtempSync(join(tmpdir(), "workshop-rmi-"));
});
afterEach(async () => {
  await sh.close();
  rmSync(scratch, { recursive: true, force: true });
  expect(ws.leftovers()).toEqual([]);
});
afterAll(() => ws.cleanUp());

// Reads a file of its image ten times a second: if the image went from under it, it says so.
const WATCHES_ITS_IMAGE = `trap "exit 130" INT; echo ready; while cat /etc/workshop-release >/dev/null; do sleep 0.1; done; echo lost its image; exit 3`;

/** Starts a container of the test image in the background; returns the CLI's pid, its output file and the container's id. */
async function startContainer(): Promise<{ pid: number; output: string; id: string }> {
  const output = join(scratch, "run.out");
  const pid = Number(await sh.run(`$CONTAINER run --net none ${ws.image} sh -c '${WATCHES_ITS_IMAGE}' >${output} 2>&1 & echo $!`));
  await eventually(() => (existsSync(output) && readFileSync(output, "utf8").includes("ready") ? true : undefined));
  const [id, ...others] = readdirSync(join(ws.root, "containers"));
  expect(others).toEqual([]);
  return { pid, output, id: id! };
}

/** A command's output and exit status, whether it failed or not. */
function outcome(command: string): Promise<string> {
  return sh.run(`${command} 2>&1; echo "exit $?"`);
}

describe("rmi of an image a running container uses", () => {
  it("is refused, naming the container, which runs on; once it has exited, rmi removes the image", async () => {
    const { pid, output, id } = await startContainer();
    expect(await outcome(`$CONTAINER rmi ${ws.image}`)).toBe(
      [`container: cannot remove ${ws.image}: the image is in use by container ${id}`, `  stop it first, or \`container rmi --force ${ws.image}\` removes the image once it has exited`, "exit 125"].join("\n"),
    );
    expect(await sh.run("$CONTAINER images")).toMatch(/^\S+\/workshop\/busybox +latest /m);

    process.kill(pid, "SIGINT");
    expect(await sh.run(`wait ${pid}; echo $?`)).toBe("130");
    expect(readFileSync(output, "utf8")).toBe("ready\n");
    expect(await sh.run(`$CONTAINER rmi ${ws.image}`)).toBe(`removed ${ws.image}`);
    expect(storeSummary(ws.root)).toEqual({ images: [], refs: [], tmp: [], blobs: [], layers: [] });
  });

  it("with --force is untagged at once, and the image is removed when the container exits", async () => {
    const { pid, output, id } = await startContainer();
    expect(await sh.run(`$CONTAINER rmi --force ${ws.image}`)).toBe(`untagged ${ws.image}: the image is removed once container ${id} has exited`);
    expect(await sh.run("$CONTAINER images")).toMatch(/^NAME +TAG +DIGEST +SIZE$/);
    expect(storeSummary(ws.root).images).toHaveLength(1);

    process.kill(pid, "SIGINT");
    expect(await sh.run(`wait ${pid}; echo $?`)).toBe("130");
    expect(readFileSync(output, "utf8")).toBe("ready\n");
    expect(storeSummary(ws.root)).toEqual({ images: [], refs: [], tmp: [], blobs: [], layers: [] });
  });

  it("with --force, after the run was killed, is removed by prune once the container is gone", async () => {
    const { pid, id } = await startContainer();
    expect(await sh.run(`$CONTAINER rmi --force ${ws.image}`)).toBe(`untagged ${ws.image}: the image is removed once container ${id} has exited`);
    process.kill(pid, "SIGKILL");
    expect(await sh.run(`wait ${pid}; echo $?`)).toBe("137");
    // The dead CLI could not remove it: its container dies with it (parent-death signal), and then prune can.
    expect(storeSummary(ws.root).images).toHaveLength(1);
    const deadline = Date.now() + 10_000;
    while ((await sh.run("$CONTAINER ps")).includes(id)) {
      if (Date.now() > deadline) throw new Error(`container ${id} still runs 10s after its CLI was killed`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const [image] = storeSummary(ws.root).images;
    expect(await sh.run("$CONTAINER prune")).toBe(`removed ${id}\nremoved image ${image!.slice(0, 12)}, which rmi --force left to its containers`);
    expect(storeSummary(ws.root)).toEqual({ images: [], refs: [], tmp: [], blobs: [], layers: [] });
  });
});
