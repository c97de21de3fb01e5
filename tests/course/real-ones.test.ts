// "How the real ones do it" on every step page, and `workshop runc`, its "try it": each page's
// runc block runs as written (on the test image) and shows what the page says it shows, and the
// command leaves nothing behind: no bundle, no runc container, nothing written into the image.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../../app/build/repo.mjs";
import { ensureCheckImage } from "../../app/checks/index.js";
import { STEPS } from "../../app/course/steps.js";
import { ImageStore } from "../../app/image/store.js";
import { collect } from "../helpers/container.js";
import { requireProgram, requireRoot } from "../helpers/requirements.js";

const work = mkdtempSync(join(tmpdir(), "real-ones-"));
const store = join(work, "store");
const scratch = join(work, "tmp");
let image = "";
beforeAll(async () => {
  if (process.getuid?.() === 0) image = await ensureCheckImage(store);
  execFileSync("mkdir", ["-p", scratch]);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const workshopRunc = (ref = image) => `'${process.execPath}' '${join(REPO, "bin/workshop")}' runc --root '${store}' --image ${ref}`;

/** A shell script run as a learner would paste it, with `npx workshop runc` on the test's store and image. */
const shell = (script: string, ref?: string, terminal = false) => {
  const env = { PATH: process.env.PATH, TMPDIR: scratch, NO_COLOR: "1", SHELL: "/bin/sh", BLOCK: script.replaceAll("npx workshop runc", workshopRunc(ref)) };
  const bash = 'exec bash --norc --noprofile -c "$BLOCK"';
  // util-linux's script gives the block a pseudo-terminal of its own, as a learner's shell has.
  const [program, args] = terminal ? ["script", ["-qec", bash, "/dev/null"]] : ["sh", ["-c", bash]];
  return collect(spawn(program as string, args as string[], { env }), { timeout: 60_000 });
};

/** The pages whose block needs a terminal. */
const IN_A_TERMINAL = new Set(["docs/bonus-terminal.md"]);

/** What each page's block shows, as the page says. */
const SHOWS: Record<string, RegExp[]> = {
  "docs/01-process.md": [/^process\.args = \["sh","-c",/m, /^I am PID 1$/m, /^status 3$/m],
  "docs/02-namespaces.md": [/"type":"pid"/, /^hostname = "runc"$/m, /^runc$/m, /^\s*1 root .* sh -c/m],
  "docs/03-rootfs.md": [/^linux\.maskedPaths = \[.*"\/proc\/kcore"/m, /\bnull\b/, /\burandom\b/, /\bpts\b/],
  "docs/04-cgroups.md": [/^20$/m],
  "docs/05-volumes.md": [/^hello$/m, /Read-only file system/, /"type":"bind".*"ro"/],
  "docs/06-network.md": [/^1: lo:/m],
  "docs/bonus-pivot-root.md": [/^\d+ \d+ \S+ \S+ \/ ro,\S* - /m],
  "docs/bonus-overlayfs.md": [/ \/ \S+ ro[ ,]/],
  "docs/bonus-privileges.md": [/^process\.noNewPrivileges = true$/m, /^NoNewPrivs:\s+1$/m, /^CapBnd:\s+0000000020000420$/m],
  "docs/bonus-exec.md": [/^\s*1 root\s+sleep 3600\s*$/m, /^\s*\d+ root\s+ps\s*$/m],
  "docs/bonus-terminal.md": [/\/dev\/pts\/0\r?$/m],
  "docs/bonus-userns.md": [/^\s*0\s+0\s+4294967295\s*$/m],
  "docs/bonus-init.md": [/^\s*1 root\s+ps\s*$/m],
  "docs/bonus-ports.md": [/^1: lo\s+inet 127\.0\.0\.1\/8/m, /^(?![\s\S]*^2: )/m],
  "docs/bonus-image-config.md": [/^process\.cwd = "\/"$/m, /^PATH=/m],
};

function runcBlock(page: string): string {
  const text = readFileSync(join(REPO, page), "utf8");
  const section = text.slice(text.indexOf("\n## How the real ones do it\n"), text.indexOf("\n## Read more\n"));
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => b.includes("npx workshop runc"));
  expect(blocks, `${page}: one runc "try it" in How the real ones do it`).toHaveLength(1);
  return blocks[0]!;
}

describe.each([...new Set(STEPS.map((s) => s.doc))])("How the real ones do it, on %s", (page) => {
  it("runs its runc block as written and shows what the page says", { timeout: 60_000 }, async (ctx) => {
    requireRoot(ctx);
    requireProgram(ctx, "runc", "runc");
    const result = await shell(runcBlock(page), undefined, IN_A_TERMINAL.has(page));
    expect(result.stderr).not.toMatch(/^workshop:/m);
    expect(result.status).toBe(0);
    expect(SHOWS[page], `what ${page}'s runc block shows`).toBeDefined();
    for (const pattern of SHOWS[page]!) expect(result.stdout + result.stderr).toMatch(pattern);
  });
});

describe("workshop runc", () => {
  it("passes the command's exit status on, and leaves no bundle and no runc container behind", { timeout: 60_000 }, async (ctx) => {
    requireRoot(ctx);
    requireProgram(ctx, "runc", "runc");
    const result = await shell("npx workshop runc -- sh -c 'exit 7'");
    expect(result.status).toBe(7);
    expect(readdirSync(scratch)).toEqual([]);
    expect(execFileSync("runc", ["list", "-q"], { encoding: "utf8" })).not.toMatch(/^workshop-/m);
  });

  it("refuses a volume on a directory the image lacks, in one line, and writes nothing into the image", { timeout: 60_000 }, async (ctx) => {
    requireRoot(ctx);
    requireProgram(ctx, "runc", "runc");
    const rootfs = new ImageStore(store).resolve(image)!.rootfs;
    const before = readdirSync(rootfs).sort();
    const result = await shell(`npx workshop runc -v ${scratch}:/srv/new -- ls /srv`);
    expect(result.status).toBe(125);
    expect(result.stderr).toBe("workshop: -v /srv/new: the image has no directory /srv/new\n  mount on a directory the image has, such as /tmp\n");
    expect(readdirSync(rootfs).sort()).toEqual(before);
  });

  it("says how to get an image the store lacks", { timeout: 60_000 }, async (ctx) => {
    requireRoot(ctx);
    const result = await shell("npx workshop runc -- true", "no/such-image");
    expect(result.stderr).toBe("workshop: image no/such-image is not in the store\n  pull it first: ./bin/container pull no/such-image\n");
    expect(result.status).toBe(125);
  });
});
