// Step 5 end to end: bind mounts in, read-write and read-only, and nothing left mounted after.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Workspace } from "../helpers/container.js";
import { requireRoot } from "../helpers/requirements.js";

const ws = new Workspace();
let data: string;
beforeAll(() => ws.pull());
beforeEach((ctx) => {
  requireRoot(ctx);
  data = mkdtempSync(join(tmpdir(), "volume-"));
  writeFileSync(join(data, "from-host"), "hello from the host\n");
});
afterEach(() => {
  expect(ws.leftovers()).toEqual([]);
  rmSync(data, { recursive: true, force: true });
});
afterAll(() => ws.cleanUp());

describe("volumes", () => {
  it("shares a host directory read-write, and the data outlives the container", async () => {
    const result = await ws.run(["run", "--net", "none", "-v", `${data}:/data`, ws.image, "sh", "-c", "cat /data/from-host; echo written > /data/from-container"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("hello from the host\n");
    expect(readFileSync(join(data, "from-container"), "utf8")).toBe("written\n");
  });

  it("refuses writes to a :ro volume", async () => {
    const result = await ws.run(["run", "--net", "none", "-v", `${data}:/data:ro`, ws.image, "sh", "-c", "cat /data/from-host; echo no > /data/x || echo refused"]);
    expect(result.stdout).toBe("hello from the host\nrefused\n");
    expect(result.stderr).toMatch(/Read-only file system/);
  });

  it("creates the mount point inside the container and mounts single files too", async () => {
    const file = join(data, "from-host");
    const result = await ws.run(["run", "--net", "none", "-v", `${data}:/deep/new/dir`, "-v", `${file}:/etc/motd:ro`, ws.image, "sh", "-c", "ls /deep/new/dir; cat /etc/motd"]);
    expect(result.stdout).toBe("from-host\nhello from the host\n");
  });

  it("leaves nothing mounted on the host, even where / is shared", async () => {
    // Inside the sandbox "/" is shared like on a systemd host; after the run its mount table
    // must be exactly as before.
    const result = await ws.script(
      `before=$(cat /proc/self/mountinfo | wc -l); $CONTAINER run --net none -v ${data}:/data ${ws.image} true; after=$(cat /proc/self/mountinfo | wc -l); echo "$before $after"; grep -c ' ${data} ' /proc/self/mountinfo || true`,
    );
    const [counts, mentions] = result.stdout.trim().split("\n");
    const [before, after] = counts!.split(" ");
    expect(after).toBe(before);
    expect(mentions).toBe("0");
  });
});
