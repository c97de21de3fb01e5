// Part 3, pull: `container pull` of a multi-layer image from a loopback registry into an empty
// store, against skopeo copy + umoci unpack doing the same work (download, verify, unpack).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tarLayer, writeOciLayout, type TarEntry } from "../app/image/oci-writer.js";
import { pushLayout, startRegistry } from "../tests/helpers/registry.js";
import { roundsFor, type BenchContext } from "./context.js";
import { interleave } from "./interleave.js";
import type { PartResult } from "./report.js";
import { pairedRatios, summarise } from "./stats.js";
import { timeCommand } from "./timing.js";

const LAYERS = 3;
const FILES_PER_LAYER = 5;
const FILE_MB = 2;
const TARGET = 1.5;

export async function benchPull(ctx: BenchContext): Promise<PartResult> {
  const layout = join(ctx.work, "pull-layout");
  await writeOciLayout(layout, [{ layers: await randomLayers(), config: { Cmd: ["/bin/sh"] }, annotations: { "org.opencontainers.image.ref.name": "latest" } }]);
  const registry = await startRegistry();
  ctx.cleanup.defer("stop the loopback registry", () => registry.stop());
  const image = `${registry.host}/bench/random:latest`;
  await pushLayout(layout, registry.host, "bench/random:latest");

  const { rounds, warmup } = roundsFor(ctx, 8, 3, 1);
  ctx.log(`Pull: ${LAYERS} layers of ${FILES_PER_LAYER} × ${FILE_MB} MB random files, ${rounds} rounds after ${warmup} warm-up`);
  const scratch = () => mkdtempSync(join(ctx.work, "pull-"));
  const samples = await interleave(
    {
      container: () => {
        const root = scratch();
        try {
          return timeCommand({ command: process.execPath, args: [join(ctx.repo, "bin/container"), "--impl", "solutions", "--root", root, "pull", image] });
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      },
      skopeoUmoci: () => {
        const dir = scratch();
        try {
          return (
            timeCommand({ command: "skopeo", args: ["copy", "--quiet", "--src-tls-verify=false", `docker://${image}`, `oci:${join(dir, "layout")}:latest`] }) +
            timeCommand({ command: "umoci", args: ["unpack", "--image", `${join(dir, "layout")}:latest`, join(dir, "bundle")] })
          );
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    },
    { rounds, warmup, onRound: (done, total) => process.stderr.write(`\r  pull: round ${done}/${total} `) },
  );
  process.stderr.write("\n");
  const ratio = summarise(pairedRatios(samples.container, samples.skopeoUmoci));
  return {
    title: "3. Pull",
    method:
      `A ${LAYERS}-layer image (${LAYERS * FILES_PER_LAYER * FILE_MB} MB of random files, gzip) on a loopback docker-registry, pulled into an empty store: ` +
      `\`container pull\` against \`skopeo copy docker://… oci:DIR:latest\` followed by \`umoci unpack\`. ${rounds} rounds, interleaved.`,
    figures: [
      {
        name: "container pull",
        unit: "ms",
        value: summarise(samples.container),
        ratios: [{ against: "skopeo copy + umoci unpack", ratio }],
        target: { text: `≤ ${TARGET}× skopeo + umoci`, met: ratio.median <= TARGET },
      },
      { name: "skopeo copy + umoci unpack", unit: "ms", value: summarise(samples.skopeoUmoci), ratios: [] },
    ],
    notes: [],
  };
}

/** Random bytes do not compress: the layers weigh on the wire what they weigh on disk. */
async function randomLayers(): Promise<Buffer[]> {
  const layers: Buffer[] = [];
  for (let layer = 0; layer < LAYERS; layer++) {
    const entries: TarEntry[] = [{ name: `layer${layer}`, type: "directory" }];
    for (let file = 0; file < FILES_PER_LAYER; file++) entries.push({ name: `layer${layer}/file${file}`, content: randomBytes(FILE_MB * 2 ** 20) });
    layers.push(await tarLayer(entries));
  }
  return layers;
}
