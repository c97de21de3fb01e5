import { shortDigest } from "./digest.js";
import type { PullProgress } from "./types.js";

/** Pull progress for a terminal: redrawn bars on a TTY, one quiet line per finished layer otherwise. */
export function progressPrinter(stream: NodeJS.WriteStream): PullProgress {
  return stream.isTTY ? new TerminalProgress(stream) : new LineProgress(stream);
}

class LineProgress implements PullProgress {
  private readonly finished = new Set<string>();

  constructor(private readonly stream: NodeJS.WriteStream) {}

  layer(digest: string, done: number, total: number): void {
    if (done < total || this.finished.has(digest)) return;
    this.finished.add(digest);
    this.stream.write(`${shortDigest(digest)}: downloaded ${formatBytes(total)}\n`);
  }

  status(line: string): void {
    this.stream.write(`${line}\n`);
  }
}

const BAR_WIDTH = 30;
const REDRAW_INTERVAL_MS = 100;

/**
 * Keeps one line per layer at the bottom of the output and redraws them in place (cursor up,
 * clear to end). Status lines during downloads go above the bars, later ones below. Redraws are
 * throttled except when a layer completes, so the final state is always on screen.
 */
class TerminalProgress implements PullProgress {
  private readonly layers = new Map<string, { done: number; total: number }>();
  private drawnLines = 0;
  private lastDraw = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  layer(digest: string, done: number, total: number): void {
    this.layers.set(digest, { done, total });
    const now = Date.now();
    if (done >= total || now - this.lastDraw >= REDRAW_INTERVAL_MS) {
      this.lastDraw = now;
      this.stream.write(this.erase() + this.bars());
    }
  }

  status(line: string): void {
    if ([...this.layers.values()].every(({ done, total }) => done >= total)) {
      // Downloads are over: leave the bars where they are and carry on below them.
      this.layers.clear();
      this.drawnLines = 0;
      this.stream.write(`${line}\n`);
      return;
    }
    this.stream.write(`${this.erase()}${line}\n${this.bars()}`);
  }

  private erase(): string {
    return this.drawnLines > 0 ? `\x1b[${this.drawnLines}A\x1b[J` : "";
  }

  private bars(): string {
    const width = this.stream.columns || 80;
    let out = "";
    for (const [digest, { done, total }] of this.layers) {
      const fraction = total > 0 ? Math.min(done / total, 1) : 1;
      const filled = Math.round(fraction * BAR_WIDTH);
      const bar = fraction >= 1 ? "=".repeat(BAR_WIDTH) : `${"=".repeat(filled)}>${" ".repeat(BAR_WIDTH - filled - 1)}`;
      const line = `${shortDigest(digest)}: [${bar}] ${formatBytes(done)}/${formatBytes(total)}`;
      out += `${line.slice(0, width - 1)}\n`;
    }
    this.drawnLines = this.layers.size;
    return out;
  }
}

function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)}${units[unit]}`;
}
