/**
 * Watch mode: any file saved under the implementation directory, once the editor has finished
 * writing (editors save in several writes, renames and temporary files), reports the last one.
 */
import { watch } from "node:fs";

export type Watch = (dir: string, onSave: (file: string) => void) => () => void;

export const DEBOUNCE_MS = 200;

export const watchDirectory: Watch = (dir, onSave) => {
  let timer: NodeJS.Timeout | undefined;
  let last = "";
  const watcher = watch(dir, { recursive: true }, (_event, file) => {
    if (file) last = file.toString();
    clearTimeout(timer);
    timer = setTimeout(() => onSave(last), DEBOUNCE_MS);
  });
  // A directory that disappears (renamed by a tool, say) stops the watching, not the app.
  watcher.on("error", () => watcher.close());
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
};
