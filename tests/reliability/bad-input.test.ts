// Every line of the table in docs/bad-input.md, run through the real CLI: the exact stderr, the
// exit status, and nothing left behind. The page is the test's data, so the two cannot drift.
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { REPO } from "../../app/build/repo.mjs";
import { sha256Digest } from "../../app/image/digest.js";
import { MediaType } from "../../app/image/manifest.js";
import { collect, CONTAINER, Workspace, type Result } from "../helpers/container.js";
import { inProgress } from "../helpers/implementations.js";
import { tarLayer, writeOciLayout } from "../helpers/oci.js";
import { pushLayout } from "../helpers/registry.js";
import { requireRoot } from "../helpers/requirements.js";
import { storeSummary } from "../image/support.js";
import { startPull } from "./host-cli.js";
import { codeSpans, tableRows } from "./markdown-table.js";
import { runOn } from "./offline-machines.js";

const PAGE = join(REPO, "docs/bad-input.md");
const ws = new Workspace();
const scratch: string[] = [];
beforeAll(() => ws.pull());
beforeEach((ctx) => requireRoot(ctx));
afterEach(() => {
  expect(ws.leftovers()).toEqual([]);
  const store = storeSummary(ws.root);
  expect([store.images.length, store.refs.length, store.tmp]).toEqual([1, 1, []]);
});
afterAll(() => {
  ws.cleanUp();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** The page's placeholders, as the test machine fills them in; and those of a row's fixture. */
function fillIn(text: string, fixture: Record<string, string> = {}): string {
  return Object.entries(fixture)
    .reduce((filled, [name, value]) => filled.replaceAll(name, value), text)
    .replaceAll("IMAGE", ws.image)
    .replaceAll("REGISTRY", inject("registryHost"))
    .replaceAll("CWD", process.cwd())
    .replaceAll("NCPU", String(availableParallelism()));
}

interface Row {
  input: string;
  argv: string[];
  condition: string;
  stderr: string[];
  status: number;
}

function readRows(): Row[] {
  return tableRows(readFileSync(PAGE, "utf8"), "## What you see").map(([input = "", seen = "", status = ""]) => {
    const [command] = codeSpans(input);
    if (!command) throw new Error(`no command in "${input}"`);
    const [program, ...argv] = command.text.split(" ");
    if (program !== "container") throw new Error(`"${command.text}" is not a container command`);
    return {
      input: command.text,
      argv,
      condition: input.slice(command.end).trim(),
      stderr: seen.split("<br>").map((line) => codeSpans(line)[0]?.text ?? line),
      status: Number(status),
    };
  });
}

/** The CLI as root, with the test image present: `pull` against the loopback registry, the rest in a sandbox. */
function asUsual(argv: string[]): Promise<Result> {
  return argv[0] === "pull" ? collect(startPull(ws.root, ...argv.slice(1))) : ws.run(argv);
}

/** The machines and users the page's conditions describe. */
const CONDITIONS: Record<string, (argv: string[]) => Promise<Result>> = {
  "": asUsual,
  "as a user other than root": async (argv) => {
    // Build as root first: a build started by `nobody` could not be saved (the next condition).
    await ws.run(["--help"]);
    return collect(ws.spawn("setpriv", [...AS_NOBODY, process.execPath, CONTAINER, ...argv]));
  },
  "as a user other than root, with changes not built yet": (argv) => {
    // A copy of the implementation no one has built: as after the learner saved a file.
    const impl = mkdtempSync(join(tmpdir(), "workshop-unbuilt-"));
    scratch.push(impl);
    chmodSync(impl, 0o755);
    cpSync(join(REPO, "solutions"), impl, { recursive: true });
    return collect(ws.spawn("setpriv", [...AS_NOBODY, process.execPath, CONTAINER, ...argv], { impl }));
  },
  // The sandbox's own mount namespace gets an empty /sys/fs/cgroup: the host's is untouched.
  "on a machine without cgroup controllers": (argv) => collect(ws.spawn("sh", ["-c", WITHOUT_CGROUPS, "sh", process.execPath, CONTAINER, ...argv])),
  "whose image's config is null": asUsual,
  "where a blob of LAYOUT is a FIFO": asUsual,
  "where a blob of LAYOUT is a directory": asUsual,
  "where PIPE is a named pipe": asUsual,
  "on a machine without a network": (argv) => runOn(ws, {}, argv),
  "on a machine without a network or /bin/busybox": (argv) => runOn(ws, { busybox: "missing" }, argv),
  "on a machine without a network, whose /bin/busybox is not static": (argv) => runOn(ws, { busybox: "dynamic" }, argv),
  "on a machine whose DNS server says there is no such host": (argv) => runOn(ws, { network: true, dns: "nxdomain" }, argv),
  "on a machine whose DNS server does not answer": (argv) => runOn(ws, { network: true, dns: "none" }, argv),
  "while the init bonus step is still a TODO": (argv) => ws.run(argv, { impl: inProgress(scratchDir("impl"), "init") }),
  "while the ports bonus step is still a TODO": (argv) => ws.run(argv, { impl: inProgress(scratchDir("impl"), "ports") }),
  "while container FIRST publishes host port 8080": (argv) => whileAPortIsPublished(argv),
  "after a container ran on the default subnet": (argv) => afterARun(argv),
  "after a container ran, once the host has another route to 10.229.0.0/16": (argv) =>
    afterARun(argv, "ip link add other0 type veth peer name other1 && ip addr add 10.229.200.1/16 dev other0 && ip link set other0 up"),
};
const AS_NOBODY = ["--reuid=65534", "--regid=65534", "--clear-groups"];
const WITHOUT_CGROUPS = 'mount -t tmpfs no-cgroups /sys/fs/cgroup && exec "$@"';

/** What the conditions that need one set up first, with the placeholders they fill in. */
const FIXTURES: Record<string, () => Promise<Record<string, string>>> = {
  "whose image's config is null": async () => {
    await pushLayout(await layoutOf(Buffer.from("null")), inject("registryHost"), "workshop/null-config:latest");
    return {};
  },
  "where a blob of LAYOUT is a FIFO": () => layoutWithOddLayer((path) => execFileSync("mkfifo", [path])),
  "where a blob of LAYOUT is a directory": () => layoutWithOddLayer((path) => mkdirSync(path)),
  "where PIPE is a named pipe": async () => {
    const pipe = join(scratchDir("pipe"), "pipe");
    execFileSync("mkfifo", [pipe]);
    return { PIPE: pipe };
  },
};

function scratchDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `workshop-bad-input-${label}-`));
  scratch.push(dir);
  return dir;
}

/** An OCI layout of one small image with `config` as its config blob. */
async function layoutOf(config?: Buffer): Promise<string> {
  const dir = scratchDir("layout");
  const layer = await tarLayer([{ name: "hello", content: "hi\n" }]);
  if (!config) {
    await writeOciLayout(dir, [{ layers: [layer] }]);
    return dir;
  }
  const blobs = join(dir, "blobs", "sha256");
  mkdirSync(blobs, { recursive: true });
  const put = (data: Buffer) => {
    writeFileSync(join(blobs, sha256Digest(data).slice(7)), data);
    return { digest: sha256Digest(data), size: data.length };
  };
  const manifest = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: { mediaType: MediaType.ociConfig, ...put(config) }, layers: [{ mediaType: MediaType.ociLayerGzip, ...put(layer) }] }),
  );
  writeFileSync(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  writeFileSync(join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: MediaType.ociManifest, ...put(manifest) }] }));
  return dir;
}

/** A layout whose layer blob `replace` turned into something else than a file: LAYOUT, and LAYER its hex. */
async function layoutWithOddLayer(replace: (path: string) => void): Promise<Record<string, string>> {
  const dir = await layoutOf();
  const layer = sha256Digest(await tarLayer([{ name: "hello", content: "hi\n" }])).slice(7);
  rmSync(join(dir, "blobs", "sha256", layer));
  replace(join(dir, "blobs", "sha256", layer));
  return { LAYOUT: dir, LAYER: layer };
}

/** In the sandbox (its network is its own), a first container makes the bridge; then `setup`, then the row's command. */
function afterARun(argv: string[], setup = "true"): Promise<Result> {
  const script = `image=$1 node=$2 cli=$3; shift 3; "$node" "$cli" run "$image" true && ${setup} && exec "$node" "$cli" "$@"`;
  return collect(ws.spawn("sh", ["-c", script, "sh", ws.image, process.execPath, CONTAINER, ...argv]));
}

/**
 * In the sandbox, a first container publishes host port 8080 and waits (on a FIFO the script holds
 * open); then the row's command runs, its stderr with the first container's id written FIRST.
 */
function whileAPortIsPublished(argv: string[]): Promise<Result> {
  const fifo = join(scratchDir("fifo"), "hold");
  const script = [
    'image=$1 node=$2 cli=$3 fifo=$4; shift 4',
    'mkfifo "$fifo" && exec 3<>"$fifo" && : >"$fifo.out"',
    '"$node" "$cli" run -p 8080:80 "$image" sh -c "echo ready; read -r _" <"$fifo" >"$fifo.out" 2>&1 3>&- & run=$!',
    // Given up on if the first container ends first: what it said is then the test's failure.
    'until grep -q ready "$fifo.out"; do kill -0 $run 2>/dev/null || { cat "$fifo.out" >&2; exit 1; }; sleep 0.05; done',
    'first=$("$node" "$cli" ps | awk \'NR > 1 { print $1 }\')',
    '"$node" "$cli" "$@" 2>"$fifo.err"; status=$?',
    'sed "s/$first/FIRST/" "$fifo.err" >&2',
    'exec 3>&-; wait; exit $status',
  ].join("\n");
  return collect(ws.spawn("sh", ["-c", script, "sh", ws.image, process.execPath, CONTAINER, fifo, ...argv]), { timeout: 60_000 });
}

describe("docs/bad-input.md", () => {
  const rows = readRows();

  it("has a line for each kind of wrong input the issue lists", () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
    for (const condition of new Set(rows.map((r) => r.condition))) expect(Object.keys(CONDITIONS)).toContain(condition);
  });

  it.for(rows.map((row) => [`${row.input}${row.condition ? ` ${row.condition}` : ""}`, row] as const))("answers %s", async ([, row]) => {
    const fixture = (await FIXTURES[row.condition]?.()) ?? {};
    const result = await CONDITIONS[row.condition]!(row.argv.map((arg) => fillIn(arg, fixture)));
    const expected = row.stderr.map((line) => fillIn(line, fixture));
    // A hint follows its message, indented by two spaces; the page shows it without them.
    const shown = expected.map((line, i) => (i > 0 && expected[i - 1]!.startsWith("container:") ? `  ${line}` : line));
    expect(result.stderr).toBe(`${shown.join("\n")}\n`);
    expect(result.status).toBe(row.status);
    expect(result.stdout).toBe("");
  });
});

describe("a machine without cgroup controllers", () => {
  it("runs without limits on a machine without cgroup controllers", async () => {
    const result = await CONDITIONS["on a machine without cgroup controllers"]!(["run", ws.image, "echo", "ran"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("ran\n");
    expect(result.status).toBe(0);
  });
});

describe("the page's map of where each guarantee is tested", () => {
  it("names test files and tests that exist", () => {
    const rows = tableRows(readFileSync(PAGE, "utf8"), "## Where each guarantee is tested");
    expect(rows.length).toBeGreaterThan(20);
    for (const [guarantee, tests = ""] of rows) {
      // In order: a `path.test.ts` names the file, each "quoted title" a test in it.
      let source: string | undefined;
      for (const [, path, title] of tests.matchAll(/`([^`]+\.test\.ts)`|"([^"]+)"/g)) {
        if (path) source = readFileSync(join(REPO, "tests", path), "utf8");
        else expect(source, `${guarantee}: "${title}" names no file`).toContain(title);
      }
    }
  });
});
