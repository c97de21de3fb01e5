// Step 5, volumes: host directories bind-mounted in, read-write or read-only, and nothing of
// them left mounted on the host when the container is gone.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { docFor, fail, pass, probe, type StepChecks, type Verdict } from "../define.js";
import type { Result } from "../harness.js";
import { listLeftovers } from "../probe-context.js";
import { hostFilesTest, keyValues, rootNotChanged, unexpectedExit } from "./common.js";

const mountVolumes = docFor("5", "mountVolumes");
const FROM_HOST = "hello from the host\n";

interface Seen {
  result: Result;
  values: Map<string, string>;
  /** The read-write volume on the host, and what the container wrote there. */
  rw: string;
  written?: string;
  /** The volumes on the host whose from-host file was gone or changed after the run. */
  lost: string[];
}

function read(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

function precondition({ result, values }: Seen): Verdict | undefined {
  return unexpectedExit(result) ?? rootNotChanged(values, "5");
}

export const step5: StepChecks = {
  step: "5",
  blame: { mount: "nothing-left-mounted" },
  probes: [
    probe({
      run: async (c): Promise<Seen> => {
        const rw = c.tempDir("volume-rw");
        const ro = c.tempDir("volume-ro");
        for (const dir of [rw, ro]) writeFileSync(join(dir, "from-host"), FROM_HOST);
        // Mount points the image does not have, under one directory removed after the probe.
        const top = `/workshop-check-${randomBytes(4).toString("hex")}`;
        c.removeAfter(join(c.imageRootfs(), top));
        const script = [
          hostFilesTest(c),
          `cat ${top}/rw/from-host && echo rw-read=yes`,
          `echo written > ${top}/rw/from-container && echo rw-write=yes`,
          `cat ${top}/ro/from-host && echo ro-read=yes`,
          `echo no > ${top}/ro/from-container 2>/dev/null && echo ro-write=allowed || echo ro-write=refused`,
          `[ -f ${top}/deep/new/dir/from-host ] && echo nested=yes`,
          "true",
        ].join("\n");
        const volumes = ["-v", `${rw}:${top}/rw`, "-v", `${ro}:${top}/ro:ro`, "-v", `${ro}:${top}/deep/new/dir:ro`];
        const result = await c.container(["run", "--net", "none", ...volumes, c.image, "sh", "-c", script]);
        const lost = [rw, ro].filter((dir) => read(join(dir, "from-host")) !== FROM_HOST);
        return { result, values: keyValues(result.stdout), rw, written: read(join(rw, "from-container")), lost };
      },
      checks: [
        {
          name: "read-write",
          title: "A volume is shared both ways: the host sees what the container wrote",
          judge: (seen) => {
            const wrong = precondition(seen);
            if (wrong) return wrong;
            if (seen.values.get("rw-read") !== "yes") return fail(`the container could not read the host's file through the volume (${mountVolumes})`);
            if (seen.written !== "written\n") return fail(`the file the container wrote to the volume is not in ${seen.rw} on the host: the volume is not a bind mount of the host directory (${mountVolumes})`);
            return pass();
          },
        },
        {
          name: "read-only",
          title: "A :ro volume can be read but refuses writes",
          judge: (seen) => {
            const wrong = precondition(seen);
            if (wrong) return wrong;
            if (seen.values.get("ro-read") !== "yes") return fail(`the container could not read the host's file through the :ro volume (${mountVolumes})`);
            if (seen.values.get("ro-write") !== "refused") return fail(`the container wrote into a :ro volume; expected "Read-only file system": a bind mount becomes read-only only with a second, remount call (${mountVolumes})`);
            return pass();
          },
        },
        {
          name: "mount-point",
          title: "A mount point the image lacks is created, however deep",
          judge: (seen) =>
            precondition(seen) ?? (seen.values.get("nested") === "yes" ? pass() : fail(`the volume at /deep/new/dir (a path the image does not have) was not there inside: create the mount point first (${mountVolumes})`)),
        },
        {
          name: "nothing-left-mounted",
          title: "Nothing stays mounted on the host after the container exits (where / is shared)",
          judge: (seen, left) => {
            if (left.length) {
              return fail(`after the container exited, the host still had ${listLeftovers(left)} (the workshop removed it): mount volumes only in the container's own mount namespace (${mountVolumes})`);
            }
            return precondition(seen) ?? pass();
          },
        },
        {
          name: "host-data-kept",
          title: "The host's data is still there after the container exits",
          judge: (seen) => {
            const wrong = precondition(seen);
            if (wrong) return wrong;
            return seen.lost.length ? fail(`after the run, from-host in ${seen.lost.join(" and ")} on the host was gone or changed (${mountVolumes})`) : pass();
          },
        },
      ],
    }),
  ],
};
