// Bonus, overlayfs: with --overlay the container writes anywhere in its root, the image stays as
// it was, the image's whiteouts hold, and the container's writable layer goes with it.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ImageStore } from "../../image/store.js";
import { CHECK_IMAGE } from "../check-image.js";
import { docFor, fail, notStarted, pass, probe, type StepChecks, type Verdict } from "../define.js";
import type { Result } from "../harness.js";
import { listLeftovers } from "../probe-context.js";
import { describeRun, hostFilesTest, keyValues } from "./common.js";

const doc = docFor("overlay", "mountOverlay");

interface Seen {
  result: Result;
  values: Map<string, string>;
  name: string;
  /** On the host, after the run: what is in the image's own files, and the container's directory. */
  imageHas: { written: boolean; release: boolean };
  containerDirLeft?: string;
}

function precondition({ result, values }: Seen): Verdict | undefined {
  if (result.status === 127 && /no such file in the container/.test(result.stderr)) {
    return notStarted(`with --overlay the container's root is empty, so nothing was mounted there: mountOverlay() is still to write (${doc})`);
  }
  if (values.get("host-files") === "yes") return notStarted(`the container still sees the host's files: step 3 comes first (${docFor("3", "changeRoot")})`);
  return result.status === 0 ? undefined : fail(`${describeRun(result)} (expected 0) (${doc})`);
}

export const overlayChecks: StepChecks = {
  step: "overlay",
  async prepare(root) {
    // Unpack the image's layers now, not in the middle of a timed check.
    const store = new ImageStore(root);
    const image = store.resolve(CHECK_IMAGE);
    if (image) await store.layerDirs(image);
  },
  probes: [
    probe({
      run: async (c): Promise<Seen> => {
        const name = `overlay-check-${randomBytes(4).toString("hex")}`;
        const script = [
          'echo "id=$(hostname)"',
          hostFilesTest(c),
          `echo new > /etc/${name} && echo new > /bin/${name} && echo write=yes`,
          "rm /etc/workshop-release && echo delete=yes",
          "[ -e /etc/motd ] && echo motd=present",
          "[ -e /var/cache/stale ] && echo stale=present",
          "[ -e /var/cache/fresh ] && echo fresh=present",
          "true",
        ].join("\n");
        const result = await c.container(["run", "--net", "none", "--overlay", c.image, "sh", "-c", script]);
        const values = keyValues(result.stdout);
        const rootfs = c.imageRootfs();
        const id = values.get("id") ?? "";
        const containerDir = join(c.root, "containers", id);
        return {
          result,
          values,
          name,
          imageHas: { written: existsSync(join(rootfs, "etc", name)) || existsSync(join(rootfs, "bin", name)), release: existsSync(join(rootfs, "etc", "workshop-release")) },
          containerDirLeft: /^[0-9a-f]{12}$/.test(id) && existsSync(containerDir) ? containerDir : undefined,
        };
      },
      checks: [
        {
          name: "writable",
          title: "The container can write and delete anywhere in its root",
          judge: (seen) => {
            const wrong = precondition(seen);
            if (wrong) return wrong;
            const failed = ["write", "delete"].filter((what) => seen.values.get(what) !== "yes");
            return failed.length ? fail(`the container could not ${failed.join(" or ")} files in /etc and /bin: the overlay needs an upper and a work directory (${doc})`) : pass();
          },
        },
        {
          name: "image-unchanged",
          title: "The image's own files are unchanged afterwards",
          judge: (seen) => {
            const wrong = precondition(seen);
            if (wrong) return wrong;
            if (seen.imageHas.written || !seen.imageHas.release) {
              return fail(`the container's writes reached the image's files on the host (${seen.imageHas.written ? `/etc/${seen.name} appeared` : "/etc/workshop-release was deleted"}): writes must go to the upper directory (${doc})`);
            }
            return pass();
          },
        },
        {
          name: "whiteouts",
          title: "The image's whiteouts hold: etc/motd and the old var/cache are gone",
          judge: (seen) => {
            const wrong = precondition(seen);
            if (wrong) return wrong;
            const back = ["motd", "stale"].filter((f) => seen.values.get(f) === "present");
            if (back.length || seen.values.get("fresh") !== "present") {
              return fail(`inside, ${back.length ? `${back.map((f) => (f === "motd" ? "/etc/motd" : "/var/cache/stale")).join(" and ")} came back` : "/var/cache/fresh is missing"}: the layers are stacked in the wrong order (lowerdir lists the top layer first) (${doc})`);
            }
            return pass();
          },
        },
        {
          name: "upper-removed",
          title: "The container's writable layer is removed after it exits",
          judge: (seen, left) => {
            const wrong = precondition(seen);
            if (wrong) return wrong;
            if (seen.containerDirLeft) return fail(`${seen.containerDirLeft} (with the container's upper directory) was still there after it exited (${doc})`);
            return left.length ? fail(`after the run the host still had ${listLeftovers(left)} (${doc})`) : pass();
          },
        },
      ],
    }),
  ],
};
