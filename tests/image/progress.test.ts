import { describe, expect, test } from "vitest";
import { progressPrinter } from "../../app/image/index.js";

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { output: string } {
  const stream = {
    isTTY,
    columns: 80,
    output: "",
    write(chunk: string) {
      stream.output += chunk;
      return true;
    },
  };
  return stream as unknown as NodeJS.WriteStream & { output: string };
}

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;

describe("progressPrinter", () => {
  test("without a TTY: one quiet line per finished layer, status lines as they come", () => {
    const stream = fakeStream(false);
    const progress = progressPrinter(stream);
    progress.status("Pulling example");
    progress.layer(A, 0, 2_500_000);
    progress.layer(A, 1_000_000, 2_500_000);
    progress.layer(B, 512, 512);
    progress.layer(A, 2_500_000, 2_500_000);
    progress.layer(A, 2_500_000, 2_500_000);
    expect(stream.output).toBe("Pulling example\nbbbbbbbbbbbb: downloaded 512B\naaaaaaaaaaaa: downloaded 2.5MB\n");
  });

  test("on a TTY: one bar per layer, redrawn in place", () => {
    const stream = fakeStream(true);
    const progress = progressPrinter(stream);
    progress.status("Pulling example");
    progress.layer(A, 0, 1000);
    progress.layer(B, 1000, 1000);
    expect(render(stream.output)).toEqual([
      "Pulling example",
      `aaaaaaaaaaaa: [>${" ".repeat(29)}] 0B/1.0kB`,
      `bbbbbbbbbbbb: [${"=".repeat(30)}] 1.0kB/1.0kB`,
    ]);
    progress.status("cccccccccccc: already exists"); // during downloads: above the bars
    progress.layer(A, 1000, 1000);
    progress.status("Digest: sha256:cafe"); // after them: below
    expect(render(stream.output)).toEqual([
      "Pulling example",
      "cccccccccccc: already exists",
      `aaaaaaaaaaaa: [${"=".repeat(30)}] 1.0kB/1.0kB`,
      `bbbbbbbbbbbb: [${"=".repeat(30)}] 1.0kB/1.0kB`,
      "Digest: sha256:cafe",
    ]);
  });
});

/** A tiny terminal: applies "cursor up N" + "clear to end" the way a real one would. */
function render(output: string): string[] {
  const lines: string[] = [];
  let row = 0;
  for (const token of output.split(/(\x1b\[\d*[AJ]|\n)/)) {
    if (token === "\n") row++;
    else if (/^\x1b\[\d*A$/.test(token)) row -= Number(token.slice(2, -1));
    else if (token === "\x1b[J") lines.length = row;
    else if (token) lines[row] = (lines[row] ?? "") + token;
  }
  return lines;
}
