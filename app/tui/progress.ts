import { useRef, useState } from "react";
import { loadProgress, saveProgress, type Progress } from "../course/progress.js";

/**
 * The saved progress as React state: every change is written to the file straight away. The ref
 * holds the latest progress for code that runs between renders (keys, finished runs). A file that
 * cannot be written (a repository owned by root, the app run without sudo) costs the saving, not
 * the session: `saveError` says why.
 */
export function useProgress(file: string) {
  const [progress, setProgress] = useState(() => loadProgress(file));
  const [saveError, setSaveError] = useState<string>();
  const latest = useRef(progress);
  const update = (change: (p: Progress) => Progress) => {
    latest.current = change(latest.current);
    try {
      saveProgress(file, latest.current);
      setSaveError(undefined);
    } catch (error) {
      setSaveError(`your progress is not saved: ${(error as Error).message}`);
    }
    setProgress(latest.current);
  };
  return { progress, update, latest: latest as { readonly current: Progress }, saveError };
}
