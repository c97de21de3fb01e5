/**
 * Ink as patched by patches/ink+6.8.0.patch (applied by `npm install`): a frame reuses the rows
 * of the frames before instead of building each char by char, and its caches stay bounded however
 * long the app runs (the room's dashboard runs for hours). The app and the room are drawn through
 * it; here its Output is driven directly.
 */
import { describe, expect, it } from "vitest";
// Not among Ink's exports: by path, as the patch changes this file (its types are Ink's own, unpatched).
import * as output from "../../node_modules/ink/build/output.js";

interface Caches {
  rows: Map<string, string>;
  styledChars: Map<string, unknown>;
  widths: Map<string, number>;
  blockWidths: Map<string, number>;
}
const Output = output.default;
const { sharedCaches } = output as unknown as { sharedCaches: Caches };

interface Write {
  x: number;
  y: number;
  text: string;
}

function frame(width: number, height: number, writes: Write[], clip?: { x1: number; x2: number; y1: number; y2: number }): string {
  const output = new Output({ width, height });
  if (clip) output.clip(clip);
  for (const { x, y, text } of writes) output.write(x, y, text, { transformers: [] });
  if (clip) output.unclip();
  return output.get().output;
}

const red = (text: string) => `\u001b[31m${text}\u001b[39m`;

describe("Ink's output, patched", () => {
  it("is applied: the caches are shared from frame to frame", () => {
    expect(sharedCaches, "patches/ink+6.8.0.patch is not applied: run npm install").toBeDefined();
    frame(20, 2, [{ x: 0, y: 0, text: "a row to keep" }]);
    const rows = sharedCaches.rows.size;
    frame(20, 2, [{ x: 0, y: 0, text: "a row to keep" }]);
    expect(sharedCaches.rows.size).toBe(rows);
  });

  it("lays later writes over earlier ones, colours, wide chars and clips as before, the first time and again", () => {
    const writes = [
      { x: 0, y: 0, text: "────────────" },
      { x: 2, y: 0, text: ` ${red("Checks")} ` },
      { x: 1, y: 1, text: "世界 ok" },
      { x: 0, y: 2, text: "cut here: 0123456789" },
    ];
    const expected = ["──" + ` ${red("Checks")} ` + "──", " 世界 ok", "cut here: 01"].join("\n");
    expect(frame(12, 3, writes, { x1: 0, x2: 12, y1: 0, y2: 3 })).toBe(expected);
    expect(frame(12, 3, writes, { x1: 0, x2: 12, y1: 0, y2: 3 })).toBe(expected);
    // The same line at another column is another row.
    expect(frame(11, 1, [{ x: 3, y: 0, text: "ok" }])).toBe("   ok");
  });

  it("keeps its caches bounded through 30,000 frames of new text", () => {
    for (let i = 0; i < 30_000; i++) frame(40, 2, [{ x: 0, y: 0, text: `learner-${i} on step ${i % 6}` }, { x: 0, y: 1, text: red(`${i} s`) }]);
    expect(sharedCaches.rows.size).toBeLessThanOrEqual(1000);
    expect(sharedCaches.styledChars.size).toBeLessThanOrEqual(200);
    expect(sharedCaches.widths.size).toBeLessThanOrEqual(2000);
    expect(sharedCaches.blockWidths.size).toBeLessThanOrEqual(1000);
    expect(frame(40, 1, [{ x: 0, y: 0, text: "learner-29999 on step 5" }])).toBe("learner-29999 on step 5");
  });
});
