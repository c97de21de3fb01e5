/**
 * Watch mode: a TypeScript file saved under the implementation directory, once the editor has
 * finished writing (editors save in several writes, renames and temporary files), reports the file
 * saved. Nothing else is a save: not an editor's swap, lock, backup or probe files (vim writes
 * `.process.ts.swp` as the learner types, and `4913` to see whether it may write), nor notes.
 *
 * Each directory is watched, not each file: an editor that saves by writing a new file and
 * renaming it over the old one (vim, JetBrains' safe write) replaces the file watched, and
 * Node 20's recursive watching on Linux, which watches files, stops seeing the next saves.
 */
import { existsSync, readdirSync, statSync, watch, type FSWatcher } from "node:fs";
import { join, relative } from "node:path";

export type Watch = (dir: string, onSave: (file: string) => void) => () => void;

export const DEBOUNCE_MS = 200;

/** `onSettled`: told each time a burst of changes has settled, after its save if it was one (tests wait for it). */
export function watchDirectory(root: string, onSave: (file: string) => void, onSettled?: () => void): () => void {
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let touched: string[] = [];

  const settle = () => {
    timer = undefined;
    // The last source written that is still there: a source deleted since is a change too.
    const saved = [...touched].reverse().find((file) => existsSync(file)) ?? touched.at(-1);
    touched = [];
    if (saved) onSave(relative(root, saved));
    onSettled?.();
  };

  const add = (dir: string) => {
    if (watchers.has(dir)) return;
    try {
      const watcher = watch(dir, (_event, name) => {
        if (!name) return;
        const base = name.toString();
        const file = join(dir, base);
        if (isDirectory(file)) {
          if (!hidden(base)) add(file);
        } else if (isSource(base)) {
          touched.push(file);
          clearTimeout(timer);
          timer = setTimeout(settle, DEBOUNCE_MS);
          return;
        }
        // Not a save, and no reason to hold one back (a swap file written every few seconds
        // would): it only starts a burst to settle, for onSettled.
        timer ??= setTimeout(settle, DEBOUNCE_MS);
      });
      // A directory removed or renamed stops being watched, not the app.
      watcher.on("error", () => {
        watcher.close();
        watchers.delete(dir);
      });
      watchers.set(dir, watcher);
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory() && !hidden(entry.name)) add(join(dir, entry.name));
      }
    } catch {
      // gone before we could watch it
    }
  };

  add(root);
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
  };
}

/** A TypeScript source: `process.ts`, not `.process.ts.swp`, `process.ts~`, `.#process.ts` or `notes.txt`. */
function isSource(name: string): boolean {
  return name.endsWith(".ts") && !hidden(name);
}

/** Dotfiles and dot-directories: an editor's or a tool's, not the learner's code. */
function hidden(name: string): boolean {
  return name.startsWith(".");
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
