/**
 * Watch mode: any file saved under the implementation directory, once the editor has finished
 * writing (editors save in several writes, renames and temporary files), reports the file saved.
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
    // The last file written that is still there: the saved file, not the editor's temporary one.
    const saved = [...touched].reverse().find((file) => existsSync(file)) ?? touched.at(-1);
    touched = [];
    if (saved && !isDirectory(saved)) onSave(relative(root, saved));
    onSettled?.();
  };

  const add = (dir: string) => {
    if (watchers.has(dir)) return;
    try {
      const watcher = watch(dir, (_event, name) => {
        if (!name) return;
        const file = join(dir, name.toString());
        if (isDirectory(file)) add(file);
        touched.push(file);
        clearTimeout(timer);
        timer = setTimeout(settle, DEBOUNCE_MS);
      });
      // A directory removed or renamed stops being watched, not the app.
      watcher.on("error", () => {
        watcher.close();
        watchers.delete(dir);
      });
      watchers.set(dir, watcher);
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) add(join(dir, entry.name));
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

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
